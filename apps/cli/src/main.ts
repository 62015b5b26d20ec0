import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { ForwarderKeyRepository, roles, TokenVerifier, type Principal, type Role } from '@soc/auth';
import { loadConfig } from '@soc/config';
import { loadMembersFile, MemberDirectory } from '@soc/members';
import { createRedis } from '@soc/redis';

/** `npm run cli -- <command>`: operator tasks that need no running service. */
const program = new Command('soc').description('Municipal SOC correlation service: operator commands');
const config = loadConfig();
const members = MemberDirectory.withDefaults(config.membersFile ? loadMembersFile(config.membersFile) : undefined);

function member(value: string): string {
  const found = members.get(value) ?? members.byMunicipalityCode(value);
  if (!found) throw new InvalidArgumentError(`unknown member "${value}" (a kommunekode such as 0751, a region code or a members-file id)`);
  return found.id;
}

function role(value: string): Role {
  if (!(roles as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${roles.join(', ')}`);
  return value as Role;
}

const keys = program.command('keys').description('forwarder API keys');
keys
  .command('create')
  .description('issue a forwarder key for a member; the key is shown once and stored hashed')
  .requiredOption('--member <id>', 'member id or kommunekode', member)
  .option('--label <text>', 'what forwards with this key', '')
  .action(async (options: { member: string; label: string }) => {
    const redis = createRedis(config.redis.url, 'worker', 'cli');
    try {
      const issued = await new ForwarderKeyRepository(redis, config.redis.keyPrefix).create(options.member, options.label);
      process.stdout.write(`${JSON.stringify(issued, null, 2)}\n`);
    } finally {
      redis.disconnect();
    }
  });

program
  .command('token')
  .description('issue a bearer token for the alerting API')
  .requiredOption('--role <role>', roles.join(' | '), role)
  .option('--member <id>', 'member id (role member only)', member)
  .option('--subject <name>', 'who the token is for', 'cli')
  .option('--expires <duration>', 'lifetime such as 8h or 30d', '8h')
  .action((options: { role: Role; member?: string; subject: string; expires: string }) => {
    if (options.role === 'member' && !options.member) throw new InvalidArgumentError('--member is required for role member');
    const principal = (options.role === 'member'
      ? { sub: options.subject, role: 'member', member_id: options.member }
      : { sub: options.subject, role: options.role }) as Principal;
    const token = new TokenVerifier(config.auth.jwtSecret).issue(principal, options.expires as never);
    process.stdout.write(`${token}\n`);
  });

program.parseAsync(process.argv).catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
