import { CorrelationEngine, InMemoryCampaignStore } from '@soc/correlation';
import type { SocEvent } from '@soc/contracts';
import { IndicatorIndex } from '@soc/indicators';
import { MemberDirectory } from '@soc/members';
import { createRedis, type Redis } from '@soc/redis';
import { importRuleFiles, type RuleDocument } from '@soc/rule-catalogue';
import { RuleAdministration, RuleCatalogueRepository } from '@soc/rule-store';
import { InMemoryWindowStore, type RuleSet } from '@soc/sigma';
import { LiveRules } from './live-rules';
import { redisUrl, uniqueName, waitFor } from '../../../../test/support';

const ruleId = '3a9d6f0e-8b1c-4c2d-9e3f-4a5b6c7d8e01';
const ruleText = (level: string, field = 'event.outcome'): string => `title: Failed SSH login
id: ${ruleId}
level: ${level}
logsource: { product: linux, service: sshd }
detection:
  selection:
    ${field}: failure
  condition: selection
`;
const stamp = { by: 'int-spec', at: '2026-12-02T20:00:00Z', why: 'int-spec' };
const admin = { sub: 'int-spec', role: 'soc_admin' };
const event = { '@timestamp': '2026-12-01T10:00:00Z', event: { dataset: 'linux.sshd', outcome: 'failure' }, organization: { id: '0101' } } as SocEvent;

describe(LiveRules.name, () => {
  let redis: Redis;
  let prefix: string;
  let live: LiveRules | undefined;
  const members = MemberDirectory.withDefaults();

  beforeAll(() => {
    redis = createRedis(redisUrl, 'worker', 'live-rules-test');
  });
  beforeEach(async () => {
    prefix = uniqueName('test', ':');
    await new RuleAdministration(new RuleCatalogueRepository(redis, prefix), { engine: {}, audit: async () => undefined, isMember: () => true }).importFolder(
      [{ name: 'linux/failed.yml', text: ruleText('low') }],
      'bundled',
      admin,
      'seed',
    );
  });
  afterEach(async () => {
    await live?.onModuleDestroy();
    live = undefined;
    const keys = await redis.keys(`{${prefix}:rules}:*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  afterAll(() => redis.disconnect());

  const start = (pollMs: number): Promise<LiveRules> =>
    LiveRules.start({
      redisUrl,
      keyPrefix: prefix,
      pollMs,
      engineOptions: {},
      engineFor: (ruleSet: RuleSet) => new CorrelationEngine(ruleSet, new IndicatorIndex(), members),
    });

  /** Writes a document straight into Redis, as a hand edit would: no check, no announcement. */
  const writeUnannounced = async (text: string): Promise<number> => {
    const imported = importRuleFiles([{ name: 'linux/failed.yml', text: ruleText('low') }], 'bundled', stamp);
    const repository = new RuleCatalogueRepository(redis, prefix);
    const revision = (await repository.revision()) + 1;
    const document: RuleDocument = { ...imported.documents[0], yaml: text, revision };
    await redis.multi().hset(repository.keys.documents, document.key, JSON.stringify(document)).set(repository.keys.revision, String(revision)).exec();
    return revision;
  };

  it('catches a change nobody announced with the revision poll', async () => {
    live = await start(200);
    expect(live.current.revision).toBe(1);
    const revision = await writeUnannounced(ruleText('high'));
    await waitFor(async () => live!.current.revision === revision);
    expect(live.current.engine).toBeDefined();
    expect(live.status).toMatchObject({ revision, rules: 1, refused: [] });
    expect(live.current.provenance.get(ruleId)).toMatchObject({ origin: 'bundled', version: expect.stringMatching(/^[0-9a-f]{12}$/) });
  });

  it('keeps running the previous text of a document that does not compile, and lists its located errors', async () => {
    live = await start(200);
    const before = live.current.provenance.get(ruleId);
    const revision = await writeUnannounced(ruleText('low', 'event.outcome|nosuchmodifier'));
    await waitFor(async () => live!.current.revision === revision);
    expect(live.status.refused).toEqual([
      { document: 'bundled/linux/failed.yml', kept_previous: true, errors: [expect.stringMatching(/^bundled\/linux\/failed\.yml:7:\d+ .*nosuchmodifier/)] },
    ]);
    expect(live.current.provenance.get(ruleId)).toEqual(before);
    const result = await live.current.engine.evaluate([event], { windows: new InMemoryWindowStore(), campaigns: new InMemoryCampaignStore() });
    expect(result.detections.map((d) => d.rule.id)).toEqual([ruleId]);
  });

  it('applies an announced change', async () => {
    live = await start(60_000);
    const administration = new RuleAdministration(new RuleCatalogueRepository(redis, prefix), { engine: {}, audit: async () => undefined, isMember: () => true });
    const { revision } = await administration.setRuleEnabled(ruleId, false, admin, 'off');
    await waitFor(async () => live!.current.revision === revision);
    expect(live.status.rules).toBe(0);
  });
});
