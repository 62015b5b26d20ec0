import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ForwarderKeyRepository, TokenIssuer, type ForwarderKeyAuditEntry } from '@soc/auth';
import { E2eDeployment } from './support/deployment';
import { AppProcess } from './support/stack';

const root = join(__dirname, '../..');
const run = promisify(execFile);

/**
 * The CLI's `keys create|rotate|revoke` on real Redis: each change is in the forwarder-key trail
 * the collector's audit route reads, with the operator (`cli:<os user>`) as the actor, and no key.
 */
describe('soc keys: the CLI records create, rotate and revoke in the forwarder-key trail', () => {
  let deployment: E2eDeployment;
  let collector: AppProcess;
  const member = '0751';

  const cli = (args: string[]) =>
    run(process.execPath, ['-r', join(root, 'scripts/register-paths.js'), join(root, 'dist/apps/cli/src/main.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', ...deployment.env },
    });
  /** The trail as the SOC administrator's route answers it (what the console's keys page shows). */
  const trail = async (): Promise<ForwarderKeyAuditEntry[]> => {
    const token = new TokenIssuer(deployment.env.JWT_SECRET!).issue({ sub: 'e2e-admin', role: 'soc_admin' });
    const response = await fetch(`${collector.url}/v1/admin/forwarder-keys/audit?member=${member}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { entries: ForwarderKeyAuditEntry[] }).entries;
  };

  beforeAll(async () => {
    deployment = await E2eDeployment.create({ rules: {} });
    collector = new AppProcess('collector', deployment.env).start();
    await collector.waitReady();
  });

  afterAll(async () => {
    await deployment?.close([collector].filter(Boolean));
  });

  it('names the operator as the actor of each change, newest first, with the label and the replacing key, never a key', async () => {
    const actor = { sub: `cli:${userInfo().username}`, role: 'soc_admin' };
    const created = JSON.parse((await cli(['keys', 'create', '--member', member, '--label', 'cli relay'])).stdout) as { id: string; key: string };
    const rotated = JSON.parse((await cli(['keys', 'rotate', created.id])).stdout) as { id: string; key: string };
    expect(rotated.id).not.toBe(created.id);
    expect((await cli(['keys', 'revoke', rotated.id])).stdout).toBe(`revoked ${rotated.id}\n`);

    const entries = await trail();
    expect(entries.map(({ actor, action, target, organization, after }) => ({ actor, action, target, organization, after }))).toEqual([
      {
        actor,
        action: 'forwarder_key_revoked',
        target: { type: 'forwarder_key', id: rotated.id },
        organization: { id: member },
        after: { label: 'cli relay' },
      },
      {
        actor,
        action: 'forwarder_key_rotated',
        target: { type: 'forwarder_key', id: created.id },
        organization: { id: member },
        after: { label: 'cli relay', replaced_by: rotated.id },
      },
      {
        actor,
        action: 'forwarder_key_created',
        target: { type: 'forwarder_key', id: created.id },
        organization: { id: member },
        after: { label: 'cli relay' },
      },
    ]);
    const stored = await deployment.redis.lrange(`${deployment.env.KEY_PREFIX}:forwarder-keys:audit`, 0, -1);
    for (const secret of [created.key, rotated.key]) expect(stored.join('\n')).not.toContain(secret);
  });

  it('records nothing for a key that does not exist, and says so', async () => {
    const before = (await trail()).length;
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(cli(['keys', 'rotate', missing])).rejects.toMatchObject({ stderr: expect.stringContaining(`no forwarder key "${missing}"`) });
    await expect(cli(['keys', 'revoke', missing])).rejects.toMatchObject({ stderr: expect.stringContaining(`no forwarder key "${missing}"`) });
    expect(await trail()).toHaveLength(before);
  });

  it('records `keys list` nothing (reading is no change), and a key the CLI created resolves to its member', async () => {
    const before = (await trail()).length;
    const created = JSON.parse((await cli(['keys', 'create', '--member', member, '--label', 'listed'])).stdout) as { id: string; key: string };
    const listed = JSON.parse((await cli(['keys', 'list', '--member', member])).stdout) as Array<{ id: string }>;
    expect(listed.map((k) => k.id)).toContain(created.id);
    expect(await trail()).toHaveLength(before + 1);
    await expect(new ForwarderKeyRepository(deployment.redis, deployment.env.KEY_PREFIX!).resolve(created.key)).resolves.toBe(member);
  });
});
