import { readRuleFiles } from '@soc/sigma';
import { createRedis, type Redis } from '@soc/redis';
import { join } from 'node:path';
import { RuleCatalogueRepository } from './rule-catalogue.repository';
import { RuleAdministration, RuleConflictError, RuleNotFoundError, RuleRefusedError, type RuleAuditRecord } from './rule-administration';
import { redisUrl, uniqueName, waitFor } from '../../../test/support';

const bundled = readRuleFiles(join(__dirname, '..', '..', '..', 'rules'));
const admin = { sub: 'int-spec', role: 'soc_admin' };
/** Bundled rules used below: the SSH brute force correlation and its base rule. */
const bruteForceId = 'f25b0cb0-0df5-4459-86a3-6ecc84289693';
const sshFailureId = '9e255bc2-13c5-4fb6-b8ab-7ef92a9f6b97';
const customRule = (id: string, level = 'low'): string => `title: Custom failed login
id: ${id}
level: ${level}
logsource: { product: linux, service: sshd }
detection:
  selection:
    event.outcome: failure
  condition: selection
`;

describe('rule catalogue in Redis', () => {
  let redis: Redis;
  let subscriber: Redis;
  let prefix: string;
  let repository: RuleCatalogueRepository;
  let administration: RuleAdministration;
  let audit: RuleAuditRecord[];

  beforeAll(() => {
    redis = createRedis(redisUrl, 'worker', 'rule-store-test');
    subscriber = createRedis(redisUrl, 'consumer', 'rule-store-subscriber');
  });
  beforeEach(() => {
    prefix = uniqueName('test', ':');
    repository = new RuleCatalogueRepository(redis, prefix);
    audit = [];
    administration = new RuleAdministration(repository, {
      engine: {},
      audit: async (record) => void audit.push(record),
      isMember: (id) => ['0101', '0147'].includes(id),
    });
  });
  afterEach(async () => {
    const keys = await redis.keys(`{${prefix}:rules}:*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  afterAll(() => {
    redis.disconnect();
    subscriber.disconnect();
  });

  it('starts empty at revision 0', async () => {
    expect(await repository.snapshot()).toEqual({ revision: 0, documents: [], rules: [], folders: [], levels: [], tunings: [] });
  });

  it('imports the bundled rules once: importing the same folder again writes nothing', async () => {
    const first = await administration.importFolder(bundled, 'bundled', admin, 'seed', { replace: true });
    expect(first.report.rejected).toEqual([]);
    expect(first).toMatchObject({ revision: 1, written: bundled.length, removed: 0 });
    const again = await administration.importFolder(bundled, 'bundled', admin, 'seed', { replace: true });
    expect(again).toMatchObject({ revision: 1, written: 0, removed: 0 });
    const snapshot = await repository.snapshot();
    expect(snapshot.documents.map((d) => d.path)).toEqual(bundled.map((f) => f.name).sort());
    expect(snapshot.documents.every((d) => d.revision === 1 && d.origin === 'bundled')).toBe(true);
    // A file gone from the folder leaves the catalogue with the next import.
    const fewer = await administration.importFolder(bundled.slice(1), 'bundled', admin, 'seed', { replace: true });
    expect(fewer).toMatchObject({ revision: 2, written: 0, removed: 1 });
  });

  it('announces every change on the channel and raises the revision by one', async () => {
    await administration.importFolder(bundled, 'bundled', admin, 'seed');
    const heard: string[] = [];
    await subscriber.subscribe(repository.keys.channel);
    subscriber.on('message', (_channel: string, message: string) => heard.push(message));
    const { revision } = await administration.setRuleEnabled(bruteForceId, false, admin, 'noisy at night');
    expect(revision).toBe(2);
    await waitFor(async () => heard.includes('2'));
    await subscriber.unsubscribe(repository.keys.channel);
    expect(audit.at(-1)).toMatchObject({
      target: { type: 'rule', id: bruteForceId },
      action: 'rule.disabled',
      before: { enabled: true },
      after: { enabled: false },
      reason: 'noisy at night',
    });
    const listed = await administration.list({ q: 'ssh failed authentication' });
    // The brute force's base rule is counted by other enabled correlations, so it stays in.
    expect(listed.rules.find((r) => r.id === sshFailureId)).toMatchObject({ enabled: true });
    expect((await administration.list({ enabled: false })).rules.map((r) => r.id)).toEqual([bruteForceId]);
  });

  it('writes two concurrent changes both, one after the other', async () => {
    await administration.importFolder(bundled, 'bundled', admin, 'seed');
    await Promise.all([
      administration.setLevel(bruteForceId, 'high', admin, 'critical servers'),
      administration.addTuning(bruteForceId, { threshold: 10, why: 'fewer alerts' }, admin),
    ]);
    const snapshot = await repository.snapshot();
    expect(snapshot.revision).toBe(3);
    expect(snapshot.levels.map((l) => [l.rule_id, l.level])).toEqual([[bruteForceId, 'high']]);
    expect(snapshot.tunings.map((t) => [t.rule_id, t.threshold])).toEqual([[bruteForceId, 10]]);
    const detail = await administration.get(bruteForceId);
    expect(detail.effective_yaml).toContain('gte: 10');
    expect(detail.level).toBe('high');
  });

  it('refuses a tuning that does not compile with every located error, and writes nothing', async () => {
    await administration.importFolder(bundled, 'bundled', admin, 'seed');
    const refused = administration.addTuning(sshFailureId, { member_id: '0101', filter: { 'user.name|nosuchmodifier': 'x' }, why: 'bad' }, admin);
    await expect(refused).rejects.toThrow(RuleRefusedError);
    await expect(refused).rejects.toThrow(/bundled\/linux\/credential_access_ssh_bruteforce\.yml.*detection\.tuning_.*nosuchmodifier/);
    expect(await repository.revision()).toBe(1);
    expect(audit.map((a) => a.action)).toEqual(['rule.imported']);
  });

  it('refuses disabling a base rule that enabled correlations count', async () => {
    await administration.importFolder(bundled, 'bundled', admin, 'seed');
    await expect(administration.setRuleEnabled(sshFailureId, false, admin, 'x')).rejects.toThrow(
      /no loaded rule has the id or name 'ssh_failed_authentication'/,
    );
  });

  it('disables and enables a folder, refusing one that holds no document', async () => {
    await administration.importFolder(bundled, 'bundled', admin, 'seed');
    const web = await administration.setFolderEnabled('web', false, admin, 'web rules under review');
    expect(web.rules).toBeGreaterThan(0);
    expect((await administration.list({ folder: 'web' })).rules.every((r) => !r.enabled && r.enabled_by === 'folder')).toBe(true);
    await expect(administration.setFolderEnabled('nosuch', false, admin, 'x')).rejects.toThrow(RuleNotFoundError);
  });

  it('adds, updates and deletes a custom rule; a bundled rule is disabled, never deleted', async () => {
    await administration.importFolder(bundled, 'bundled', admin, 'seed');
    const id = '0c8e7e4a-2f4e-4c86-9a55-0d1c1a3f0001';
    expect(await administration.putCustomRule(customRule(id), admin, 'new')).toMatchObject({ document: `custom/${id}.yml`, rules: [id], created: true });
    expect(await administration.putCustomRule(customRule(id, 'high'), admin, 'higher')).toMatchObject({ created: false });
    expect((await administration.get(id)).level).toBe('high');
    await expect(administration.putCustomRule(customRule(bruteForceId), admin, 'steal')).rejects.toThrow(RuleConflictError);
    await expect(
      administration.putCustomRule('title: x\nid: y\nlevel: low\nlogsource: { product: linux }\ndetection: { condition: s }\n', admin, 'bad'),
    ).rejects.toThrow(RuleRefusedError);
    await expect(administration.deleteCustomRule(bruteForceId, admin, 'x')).rejects.toThrow(/disable it instead/);
    await administration.deleteCustomRule(id, admin, 'gone');
    await expect(administration.get(id)).rejects.toThrow(RuleNotFoundError);
  });
});
