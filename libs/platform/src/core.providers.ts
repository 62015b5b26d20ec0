import type { FactoryProvider, Provider } from '@nestjs/common';
import { TokenVerifier, tokenVerifierFor } from '@soc/auth';
import { loadConfig, type AppConfig } from '@soc/config';
import { loadMembersFile, MemberDirectory } from '@soc/members';
import { createRedis, pingRedis, type Redis, type RedisRole } from '@soc/redis';
import type { BearerRefusals } from './bearer-auth';
import { BEARER_REFUSALS } from './bearer.guard';
import { READINESS_PROBES, type ReadinessProbe } from './health.controller';

/** The process's `AppConfig` (`loadConfig`: the environment read and validated once). */
export const APP_CONFIG = Symbol('APP_CONFIG');
/** Every Redis client `coreProviders` created, in the order given: for an app that closes them on shutdown. */
export const REDIS_CLIENTS = Symbol('REDIS_CLIENTS');

/** One shared Redis client of an app. */
export interface RedisClientSpec {
  /** The token the app injects it by. */
  provide: symbol;
  /** `producer` fails fast while Redis is away (requests); `worker` waits out an outage (consumers). */
  role: RedisRole;
  /** The connection name Redis lists it under (`CLIENT LIST`). */
  name: string;
}

export interface CoreProviderOptions {
  /** The app's shared Redis clients, each with its role. */
  redis: readonly RedisClientSpec[];
  /** What `GET /health/ready` checks: the Redis client it pings (one of `redis`) and the app's further probes. */
  readiness: { redis: symbol; more?: Omit<FactoryProvider<ReadinessProbe[]>, 'provide'> };
  /** The app's wording of the bearer refusals; the API default without it. */
  bearerRefusals?: BearerRefusals;
}

const MORE_PROBES = Symbol('MORE_PROBES');

/**
 * The providers every app wires alike: `APP_CONFIG`, its Redis clients, one `MemberDirectory`
 * (the members file read once, shared by the verifier and whatever else needs members), the
 * `TokenVerifier` `BearerGuard` checks tokens with, and the readiness probes.
 */
export function coreProviders(options: CoreProviderOptions): Provider[] {
  const redis = options.redis.map((spec): Provider => ({
    provide: spec.provide,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => createRedis(config.redis.url, spec.role, spec.name),
  }));
  return [
    { provide: APP_CONFIG, useFactory: loadConfig },
    ...redis,
    { provide: REDIS_CLIENTS, inject: options.redis.map((spec) => spec.provide), useFactory: (...clients: Redis[]) => clients },
    { provide: MemberDirectory, inject: [APP_CONFIG], useFactory: memberDirectoryOf },
    {
      provide: TokenVerifier,
      inject: [APP_CONFIG, MemberDirectory],
      useFactory: (config: AppConfig, members: MemberDirectory) => tokenVerifierFor(config.auth, members),
    },
    { provide: MORE_PROBES, inject: [], useFactory: (): ReadinessProbe[] => [], ...options.readiness.more },
    {
      provide: READINESS_PROBES,
      inject: [options.readiness.redis, MORE_PROBES],
      useFactory: (client: Redis, more: ReadinessProbe[]): ReadinessProbe[] => [{ name: 'redis', check: () => pingRedis(client) }, ...more],
    },
    ...(options.bearerRefusals ? [{ provide: BEARER_REFUSALS, useValue: options.bearerRefusals }] : []),
  ];
}

function memberDirectoryOf(config: AppConfig): MemberDirectory {
  return MemberDirectory.withDefaults(config.membersFile ? loadMembersFile(config.membersFile) : undefined);
}
