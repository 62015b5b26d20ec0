import type { Detection } from '@soc/contracts';
import { IndicatorIndex } from '@soc/indicators';
import { crossMemberOrganizationId, InMemoryWindowStore } from '@soc/sigma';
import { CorrelationEngine } from './correlation-engine';
import { InMemoryCampaignStore } from './in-memory-campaign-store';
import { at, event, indicator, members, realRules, sshFailure, evaluateAndCommit } from './testing/fixtures';

// Public addresses throughout: documentation ranges (203.0.113.0/24...) are no actors in production.
const base = '2026-01-05T10:00:00.000Z';
const hour = 60;

function setup() {
  const index = new IndicatorIndex();
  index.add(indicator({ id: 'feodo-1', type: 'ipv4', value: '45.137.21.9' }));
  const engine = new CorrelationEngine(realRules('linux/credential_access_ssh_bruteforce.yml'), index, members);
  const stores = { windows: new InMemoryWindowStore(), campaigns: new InMemoryCampaignStore() };
  return { index, engine, stores };
}

const hit = (memberId: string, minutes: number) => event(memberId, at(base, minutes), { destination: { ip: '45.137.21.9' } });
const bruteForce = (memberId: string, minutes: number, ip: string) =>
  Array.from({ length: 10 }, (_, i) => sshFailure(memberId, at(base, minutes + i * 0.1), ip));
const campaigns = (r: { detections: Detection[] }) => r.detections.filter((d) => d.kind === 'campaign');

describe(`${CorrelationEngine.name} campaigns`, () => {
  it('fires once when a third member sees the same indicator within the window', async () => {
    const { engine, stores } = setup();
    const first = await evaluateAndCommit(engine, [hit('0101', 0), hit('0147', 2 * hour)], stores);
    expect(campaigns(first)).toEqual([]);
    const third = await evaluateAndCommit(engine, [hit('0151', 20 * hour)], stores);
    const [campaign] = campaigns(third);
    expect(campaign).toMatchObject({
      organization: { id: crossMemberOrganizationId },
      group_key: 'indicator:feodo-1',
      window_start: base,
      campaign: { members: ['0101', '0147', '0151'] },
      observables: [{ field: 'indicator.ipv4', value: '45.137.21.9' }],
    });
    const more = await evaluateAndCommit(engine, [hit('0101', 21 * hour), hit('0151', 22 * hour)], stores);
    expect(campaigns(more)).toEqual([]);
  });

  it('keeps the campaign fingerprint when the firing batch is replayed', async () => {
    const { engine, stores } = setup();
    const batch = [hit('0101', 0), hit('0147', hour), hit('0151', 2 * hour)];
    const first = campaigns(await evaluateAndCommit(engine, batch, stores, { now: new Date('2026-01-06T00:00:00Z') }));
    const replay = campaigns(await evaluateAndCommit(engine, batch, stores, { now: new Date('2026-01-07T00:00:00Z') }));
    expect(replay).toHaveLength(1);
    expect(replay[0]).toMatchObject({ fingerprint: first[0].fingerprint, event_ids: first[0].event_ids, event_count: first[0].event_count });
  });

  it('grows the member list when a fourth member joins the same window', async () => {
    const { engine, stores } = setup();
    const [fired] = campaigns(await evaluateAndCommit(engine, [hit('0101', 0), hit('0147', hour), hit('0151', 2 * hour)], stores));
    const [grown] = campaigns(await evaluateAndCommit(engine, [hit('0153', 10 * hour)], stores));
    expect(grown.fingerprint).toBe(fired.fingerprint);
    expect(grown.campaign?.members).toEqual(['0101', '0147', '0151', '0153']);
    expect(grown.event_ids).toEqual([expect.stringContaining('ev-0153')]);
  });

  it('needs the members within the window', async () => {
    const { engine, stores } = setup();
    await evaluateAndCommit(engine, [hit('0101', 0), hit('0147', 2 * hour)], stores);
    const late = await evaluateAndCommit(engine, [hit('0151', 25 * hour)], stores);
    expect(campaigns(late)).toEqual([]);
  });

  it('starts a new campaign window after the fired one has passed', async () => {
    const { engine, stores } = setup();
    const [first] = campaigns(await evaluateAndCommit(engine, [hit('0101', 0), hit('0147', hour), hit('0151', 2 * hour)], stores));
    const [second] = campaigns(await evaluateAndCommit(engine, [hit('0101', 30 * hour), hit('0147', 31 * hour), hit('0151', 32 * hour)], stores));
    expect(second.fingerprint).not.toBe(first.fingerprint);
    // Members are kept as first/last spans: the new window starts right after the fired one.
    expect(second.window_start).toBe(new Date(Date.parse(first.window_start) + 24 * 3_600_000 + 1).toISOString());
  });

  it('does not fire on one member seeing an indicator many times', async () => {
    const { engine, stores } = setup();
    const result = await evaluateAndCommit(
      engine,
      Array.from({ length: 50 }, (_, i) => hit('0101', i)),
      stores,
    );
    expect(campaigns(result)).toEqual([]);
  });

  it('names no other member in a member detection', async () => {
    const { engine, stores } = setup();
    const result = await evaluateAndCommit(engine, [hit('0101', 0), hit('0147', hour), hit('0151', 2 * hour)], stores);
    for (const detection of result.detections.filter((d) => d.organization.id !== crossMemberOrganizationId)) {
      const others = ['0101', '0147', '0151'].filter((m) => m !== detection.organization.id);
      for (const other of others) expect(JSON.stringify(detection)).not.toContain(other);
    }
  });

  it('promotes a brute-force actor seen at three members and warns the fourth on its first attempt', async () => {
    const { engine, stores, index } = setup();
    const actor = '91.240.118.172';
    const result = await evaluateAndCommit(
      engine,
      [...bruteForce('0101', 0, actor), ...bruteForce('0147', 60, actor), ...bruteForce('0151', 120, actor)],
      stores,
    );
    const [campaign] = campaigns(result);
    expect(campaign).toMatchObject({ group_key: `source.ip=${actor}`, campaign: { members: ['0101', '0147', '0151'] } });
    expect(result.promotions).toHaveLength(1);
    const promoted = result.promotions[0].indicator;
    expect(promoted).toMatchObject({ id: `campaign:source.ip=${actor}`, value: actor, source: 'campaign', confidence: 80, type: 'ipv4' });
    expect(promoted.valid_until!.getTime()).toBe(Date.parse(at(base, 120)) + 7 * 24 * 3_600_000);

    index.upsert(promoted);
    const next = await evaluateAndCommit(engine, [sshFailure('0153', at(base, 5 * hour), actor)], stores);
    const warning = next.detections.find((d) => d.organization.id === '0153')!;
    expect(warning).toMatchObject({ kind: 'early_warning', group_key: `indicator:campaign:source.ip=${actor}` });
    expect(JSON.stringify(warning)).not.toMatch(/0101|0147|0151/);
    const [grown] = campaigns(next);
    expect(grown).toMatchObject({ fingerprint: campaign.fingerprint, campaign: { members: ['0101', '0147', '0151', '0153'] } });
  });

  it('respects a custom threshold and window', async () => {
    const index = new IndicatorIndex();
    index.add(indicator({ id: 'feodo-1', type: 'ipv4', value: '45.137.21.9' }));
    const engine = new CorrelationEngine(realRules('linux/credential_access_ssh_bruteforce.yml'), index, members, {
      campaignMinMembers: 2,
      campaignWindowMs: 3_600_000,
    });
    const stores = { windows: new InMemoryWindowStore(), campaigns: new InMemoryCampaignStore() };
    expect(campaigns(await evaluateAndCommit(engine, [hit('0101', 0), hit('0147', 2 * hour)], stores))).toEqual([]);
    expect(campaigns(await evaluateAndCommit(engine, [hit('0151', 2 * hour + 30)], stores))).toHaveLength(1);
  });
});

describe(`${CorrelationEngine.name} actor sightings`, () => {
  it('ignores informational rules as actor sightings', async () => {
    const rule = `title: Denied
id: 00000000-0000-4000-8000-0000000000aa
level: informational
logsource:
    product: linux
    service: sshd
detection:
    selection:
        event.outcome: failure
    condition: selection
`;
    const { compileRules, loadRules } = await import('@soc/sigma');
    const ruleSet = compileRules(loadRules([{ name: 'denied.yml', text: rule }]).rules).ruleSet;
    const engine = new CorrelationEngine(ruleSet, new IndicatorIndex(), members, { campaignMinMembers: 2 });
    const denied = (memberId: string) => sshFailure(memberId, base, '80.82.77.139');
    const result = await evaluateAndCommit(engine, [denied('0101'), denied('0147')], {
      windows: new InMemoryWindowStore(),
      campaigns: new InMemoryCampaignStore(),
    });
    expect(result.detections.filter((d) => d.kind === 'rule')).toHaveLength(2);
    expect(campaigns(result)).toEqual([]);
  });
});
