import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import {
  declaredDatasetSchema,
  declaredTimeZoneSchema,
  ForwarderKeyAdministration,
  ForwarderKeyAuditTrail,
  ForwarderKeyRepository,
  roles,
  socOrganizationIds,
  tokenIssuerFor,
  type Principal,
  type Role,
} from '@soc/auth';
import { loadConfig } from '@soc/config';
import { loadMembersFile, MemberDirectory } from '@soc/members';
import { createRedis } from '@soc/redis';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { allMembers } from '@soc/contracts';
import { Presets, SingleBar } from 'cli-progress';
import { indicatorFeedFormats, IndicatorRepository, readIndicatorFeed, type IndicatorFeedFormat } from '@soc/indicator-store';
import { formatImportError } from '@soc/indicators';
import { isLogFormat, logFormats, type LogFormat } from '@soc/ingest';
import { registerReportCommand } from './report-command';
import { registerDeadLetterCommands } from './dead-letters-commands';
import { registerBackupCommands } from './backup-commands';
import { registerRuleCommands } from './rules-commands';
import { registerStatisticsCommands } from './statistics-commands';
import { registerRetentionCommands } from './retention-commands';
import { registerStreamCommands } from './streams-commands';

/** `npm run cli -- <command>`: operator tasks that need no running service. */
const program = new Command('soc').description('Municipal SOC correlation service: operator commands');
const config = loadConfig();
const members = MemberDirectory.withDefaults(config.membersFile ? loadMembersFile(config.membersFile) : undefined);

function member(value: string): string {
  const found = members.get(value) ?? members.byMunicipalityCode(value);
  if (!found) throw new InvalidArgumentError(`unknown member "${value}" (a kommunekode such as 0751, a region code or a members-file id)`);
  return found.id;
}

function logFormat(value: string): LogFormat {
  if (!isLogFormat(value)) throw new InvalidArgumentError(`must be one of ${logFormats.join(', ')}`);
  return value;
}

/** The members file's validators for a sender's dataset and zone, so a key takes exactly what a sender takes. */
function dataset(value: string): string {
  const parsed = declaredDatasetSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0].message);
  return parsed.data;
}

function timeZone(value: string): string {
  const parsed = declaredTimeZoneSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0].message);
  return parsed.data;
}

function role(value: string): Role {
  if (!(roles as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${roles.join(', ')}`);
  return value as Role;
}

/**
 * The operator on the host, as the forwarder-key trail names it (docs/API.md, "Audit"): the CLI's
 * create, rotate and revoke go through the same `ForwarderKeyAdministration` as the collector's
 * routes, so they are recorded in the same trail (never the key or its hash).
 */
const keysActor = { sub: `cli:${userInfo().username}`, role: 'soc_admin' };

const keys = program.command('keys').description('forwarder API keys');
keys
  .command('create')
  .description('issue a forwarder key for a member; the key is shown once and stored hashed')
  .requiredOption('--member <id>', 'member id or kommunekode', member)
  .option('--label <text>', 'what forwards with this key', '')
  .option('--format <format>', `what the forwarder sends: ${logFormats.join(', ')} (default: recognised per record)`, logFormat)
  .option('--dataset <module.dataset>', 'dataset of its lines from programs the parsers do not know, such as fortinet.firewall', dataset)
  .option('--time-zone <zone>', "IANA zone of its timestamps without an offset (default: the member's, else SYSLOG_TIME_ZONE)", timeZone)
  .action(async (options: { member: string; label: string; format?: LogFormat; dataset?: string; timeZone?: string }) => {
    const declared = { format: options.format, dataset: options.dataset, time_zone: options.timeZone };
    const issued = await withKeys((_, administration) => administration.create(keysActor, options.member, options.label, declared));
    process.stdout.write(`${JSON.stringify(issued, null, 2)}\n`);
  });

/** Runs one key operation with a short-lived Redis connection: the repository (listing) and the administration (changes, audited). */
async function withKeys<T>(work: (repository: ForwarderKeyRepository, administration: ForwarderKeyAdministration) => Promise<T>): Promise<T> {
  const redis = createRedis(config.redis.url, 'worker', 'cli');
  try {
    const repository = new ForwarderKeyRepository(redis, config.redis.keyPrefix);
    return await work(repository, new ForwarderKeyAdministration(repository, new ForwarderKeyAuditTrail(redis, config.redis.keyPrefix)));
  } finally {
    redis.disconnect();
  }
}

keys
  .command('list')
  .description('list forwarder keys (id, member, label, created_at, and format, dataset, time_zone when declared; never the key or its hash)')
  .option('--member <id>', 'only this member', member)
  .action(async (options: { member?: string }) => {
    const listed = await withKeys((repository) => repository.list(options.member));
    process.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
  });

keys
  .command('rotate <id>')
  .description('replace a key by a new one for the same member; the new key is shown once, the old one stops working within 5 s')
  .action(async (id: string) => {
    const issued = await withKeys((_, administration) => administration.rotate(keysActor, allMembers, id));
    if (!issued) throw new InvalidArgumentError(`no forwarder key "${id}"`);
    process.stdout.write(`${JSON.stringify(issued, null, 2)}\n`);
  });

keys
  .command('revoke <id>')
  .description('revoke a key; collectors refuse it within 5 s')
  .action(async (id: string) => {
    if (!(await withKeys((_, administration) => administration.revoke(keysActor, allMembers, id)))) throw new InvalidArgumentError(`no forwarder key "${id}"`);
    process.stdout.write(`revoked ${id}\n`);
  });

/** Indicator commands (docs/INDICATORS.md): the shared set in Redis; every correlator picks changes up within a second. */
async function withIndicators<T>(work: (repository: IndicatorRepository) => Promise<T>): Promise<T> {
  const redis = createRedis(config.redis.url, 'worker', 'cli');
  try {
    return await work(new IndicatorRepository(redis, config.redis.keyPrefix));
  } finally {
    redis.disconnect();
  }
}

function feedFormat(value: string): IndicatorFeedFormat {
  if (!(indicatorFeedFormats as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${indicatorFeedFormats.join(', ')}`);
  return value as IndicatorFeedFormat;
}

const indicators = program.command('indicators').description('the shared indicator set');
indicators
  .command('import <file>')
  .description('import a STIX 2.1 bundle, a MISP event, an abuse.ch CSV blocklist or a ThreatFox JSON export; bad entries are listed on stderr')
  .requiredOption('--format <format>', indicatorFeedFormats.join(' | '), feedFormat)
  .option('--source <name>', 'source name (default: taken from the feed)')
  .option('--allow-reserved', 'keep loopback, private, CGNAT, documentation... addresses (refused by default: docs/INDICATORS.md)', false)
  .action(async (file: string, options: { format: IndicatorFeedFormat; source?: string; allowReserved: boolean }) => {
    const feed = readIndicatorFeed(options.format, readFileSync(file, 'utf8'), options.source, {
      allowReserved: options.allowReserved,
      addressScope: { documentationIsPublic: config.correlator.documentationAddressesArePublic },
    });
    for (const error of feed.errors) process.stderr.write(`${formatImportError(error)}\n`);
    const bar = new SingleBar({ format: 'importing [{bar}] {value}/{total} indicators' }, Presets.shades_classic);
    bar.start(feed.indicators.length, 0);
    await withIndicators((repository) => repository.upsert(feed.indicators, (done) => bar.update(done)));
    bar.stop();
    process.stdout.write(`${JSON.stringify({ imported: feed.indicators.length, errors: feed.errors.length })}\n`);
  });

indicators
  .command('list')
  .description('one page of indicators as JSON; pass --cursor <next_cursor> for the next')
  .option('--q <text>', 'substring of the id or value')
  .option('--source <name>', 'only this source')
  .option('--limit <n>', 'page size', (v) => Number.parseInt(v, 10), 100)
  .option('--cursor <cursor>', 'from a previous page', '0')
  .action(async (options: { q?: string; source?: string; limit: number; cursor: string }) => {
    const page = await withIndicators((repository) => repository.list(options));
    process.stdout.write(`${JSON.stringify({ indicators: page.indicators, next_cursor: page.nextCursor }, null, 2)}\n`);
  });

indicators
  .command('revoke <id>')
  .description('revoke an indicator; every correlator stops matching it within a second')
  .action(async (id: string) => {
    if (!(await withIndicators((repository) => repository.revoke(id)))) throw new InvalidArgumentError(`no indicator "${id}"`);
    process.stdout.write(`revoked ${id}\n`);
  });

program
  .command('token')
  .description('issue a bearer token for the alerting API')
  .requiredOption('--role <role>', roles.join(' | '), role)
  .option('--member <id>', 'member id (role member only)', member)
  .option('--subject <name>', 'who the token is for', 'cli')
  .option('--name <display name>', 'the display name audit entries show beside the subject')
  .option('--expires <duration>', `lifetime such as 30m or 8h, at most JWT_MAX_LIFETIME_SECONDS (${config.auth.jwtMaxLifetimeSeconds} s)`, '8h')
  .action((options: { role: Role; member?: string; subject: string; name?: string; expires: string }) => {
    if (options.role === 'member' && !options.member) throw new InvalidArgumentError('--member is required for role member');
    if (options.member && socOrganizationIds.has(options.member)) throw new InvalidArgumentError(`--member ${options.member} is the SOC, not a member`);
    const named = options.name === undefined ? {} : { name: options.name };
    const principal = (
      options.role === 'member'
        ? { sub: options.subject, role: 'member', member_id: options.member, ...named }
        : { sub: options.subject, role: options.role, ...named }
    ) as Principal;
    // Production accepts only the identity provider's tokens: there is no secret to sign with (libs/auth tokenIssuerFor says so).
    const token = tokenIssuerFor(config.auth).issue(principal, options.expires as never);
    process.stdout.write(`${token}\n`);
  });

registerRuleCommands(program, config, members);
registerDeadLetterCommands(program, config);
registerBackupCommands(program, config);
registerStatisticsCommands(program, config, members);
registerReportCommand(program, config, members);
registerRetentionCommands(program, config);
registerStreamCommands(program, config);

program.parseAsync(process.argv).catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
