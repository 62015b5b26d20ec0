import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TokenIssuer, TokenVerifier } from '@soc/auth';
import { parseConfig } from '@soc/config';
import { MemberDirectory } from '@soc/members';
import type { Redis } from '@soc/redis';
import { redisUrl, uniqueName } from '../../../test/support';
import { BEARER_REFUSALS } from './bearer.guard';
import { collectorBearerRefusals } from './bearer-auth';
import { APP_CONFIG, coreProviders, REDIS_CLIENTS } from './core.providers';
import { READINESS_PROBES, type ReadinessProbe } from './health.controller';

const secret = 'a-core-providers-secret-long-enough-0000';
const API = Symbol('API');
const STATE = Symbol('STATE');

describe(coreProviders.name, () => {
  let dir: string;
  let app: INestApplicationContext;
  const names = { api: uniqueName('core-api'), state: uniqueName('core-state') };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'core-providers-'));
    const membersFile = join(dir, 'members.yaml');
    writeFileSync(membersFile, 'members:\n  - id: "hosting-co"\n    name: "Hosting Co"\n    kind: other\n');
    @Module({
      providers: [
        ...coreProviders({
          redis: [
            { provide: STATE, role: 'worker', name: names.state },
            { provide: API, role: 'producer', name: names.api },
          ],
          readiness: { redis: API, more: { inject: [APP_CONFIG], useFactory: () => [{ name: 'elsewhere', check: async () => false }] } },
          bearerRefusals: collectorBearerRefusals,
        }),
        // The process's configuration stands in for loadConfig (later providers of a token win).
        { provide: APP_CONFIG, useValue: parseConfig({ NODE_ENV: 'test', REDIS_URL: redisUrl, JWT_SECRET: secret, MEMBERS_FILE: membersFile }) },
      ],
    })
    class CoreModule {}
    app = await NestFactory.createApplicationContext(CoreModule, { logger: false });
  });

  afterAll(async () => {
    for (const client of app.get<Redis[]>(REDIS_CLIENTS)) client.disconnect();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects each Redis client under its name, with its role, listed in REDIS_CLIENTS in the order given', async () => {
    const [state, api] = app.get<Redis[]>(REDIS_CLIENTS);
    expect([state, api]).toEqual([app.get(STATE), app.get(API)]);
    expect(await state!.client('GETNAME')).toBe(names.state);
    expect(await api!.client('GETNAME')).toBe(names.api);
    // producer: fails fast (no offline queue); worker: waits out an outage.
    expect([api!.options.enableOfflineQueue, api!.options.maxRetriesPerRequest]).toEqual([false, 1]);
    expect([state!.options.enableOfflineQueue, state!.options.maxRetriesPerRequest]).toEqual([true, null]);
  });

  it('reads the members file into one directory, the one the token verifier checks member ids against', async () => {
    expect(app.get(MemberDirectory).get('hosting-co')).toMatchObject({ id: 'hosting-co' });
    const token = new TokenIssuer(secret).issue({ sub: 'h', role: 'member', member_id: 'hosting-co' });
    await expect(app.get(TokenVerifier).verify(token)).resolves.toMatchObject({ role: 'member', member_id: 'hosting-co' });
  });

  it("probes Redis through the named client first, then the app's further probes", async () => {
    const probes = app.get<ReadinessProbe[]>(READINESS_PROBES);
    expect(await Promise.all(probes.map(async (p) => [p.name, await p.check()]))).toEqual([
      ['redis', true],
      ['elsewhere', false],
    ]);
  });

  it("provides the app's wording of the bearer refusals", () => {
    expect(app.get(BEARER_REFUSALS)).toBe(collectorBearerRefusals);
  });
});
