import { detectionSchema } from '@soc/contracts';
import { IndicatorIndex, Warninglist } from '@soc/indicators';
import { InMemoryWindowStore } from '@soc/sigma';
import { CorrelationEngine } from './correlation-engine';
import { InMemoryCampaignStore } from './in-memory-campaign-store';
import { at, event, indicator, members, realRules, evaluateAndCommit } from './testing/fixtures';

const base = '2026-01-05T10:00:00.000Z';
const stores = () => ({ windows: new InMemoryWindowStore(), campaigns: new InMemoryCampaignStore() });

function engineWith(...indicators: ReturnType<typeof indicator>[]) {
  const index = new IndicatorIndex({ warninglists: [new Warninglist('public-dns', [{ type: 'ipv4', value: '9.9.9.9' }])] });
  for (const i of indicators) index.add(i);
  return new CorrelationEngine(realRules('linux/credential_access_ssh_bruteforce.yml'), index, members);
}

describe(`${CorrelationEngine.name} indicator hits`, () => {
  const c2 = indicator({ id: 'feodo-1', type: 'ipv4', value: '198.51.100.7', confidence: 95, tlp: 'amber', labels: ['botnet_cc'] });

  it('makes one detection per indicator, member and hour from a thousand hits', async () => {
    const engine = engineWith(c2);
    const events = Array.from({ length: 1000 }, (_, i) => event('0101', at(base, i * 0.05), { destination: { ip: '198.51.100.7' } }));
    const result = await evaluateAndCommit(engine, events, stores(), { now: new Date('2026-01-05T12:00:00Z') });

    const hits = result.detections.filter((d) => d.kind === 'indicator');
    expect(hits).toHaveLength(1);
    expect(detectionSchema.parse(hits[0])).toBeTruthy();
    expect(hits[0]).toMatchObject({
      organization: { id: '0101' },
      group_key: 'indicator:feodo-1',
      window_start: '2026-01-05T10:00:00.000Z',
      event_count: 1000,
      rule: { title: 'Indicator match', level: 'critical' },
    });
    expect(hits[0].rule.tags).toEqual(expect.arrayContaining(['tlp:amber', 'indicator.source:feodo', 'botnet_cc']));
    expect(hits[0].observables).toEqual(
      expect.arrayContaining([
        { field: 'indicator.id', value: 'feodo-1' },
        { field: 'indicator.source', value: 'feodo' },
        { field: 'destination.ip', value: '198.51.100.7' },
      ]),
    );
    expect(hits[0].event_ids).toHaveLength(100);
    expect(result.indicatorHits).toBe(1000);
    expect(result.sightings).toEqual([{ indicatorId: 'feodo-1', memberId: '0101', time: Date.parse(base), count: 1000 }]);
  });

  it('splits hits by event-time hour and keeps fingerprints when evaluated again later', async () => {
    const engine = engineWith(c2);
    const events = [
      event('0101', '2026-01-05T10:59:59Z', { source: { ip: '198.51.100.7' } }),
      event('0101', '2026-01-05T11:00:00Z', { source: { ip: '198.51.100.7' } }),
    ];
    const first = await evaluateAndCommit(engine, events, stores(), { now: new Date('2026-01-05T12:00:00Z') });
    const again = await evaluateAndCommit(engine, events, stores(), { now: new Date('2026-01-09T00:00:00Z') });
    const fingerprints = (r: typeof first) =>
      r.detections
        .filter((d) => d.kind === 'indicator')
        .map((d) => d.fingerprint)
        .sort();
    expect(fingerprints(first)).toHaveLength(2);
    expect(fingerprints(again)).toEqual(fingerprints(first));
  });

  it('matches domains on subdomains in URLs and DNS questions, hashes and e-mail senders', async () => {
    const engine = engineWith(
      indicator({ id: 'dom', type: 'domain', value: 'evil.example' }),
      indicator({ id: 'hash', type: 'sha256', value: 'a'.repeat(64) }),
      indicator({ id: 'mail', type: 'email', value: 'ceo@phish.example' }),
    );
    const events = [
      event('0101', base, { dns: { question: { name: 'cdn.evil.example' } } }),
      event('0101', base, { url: { domain: 'www.evil.example', original: 'https://www.evil.example/x' } }),
      event('0101', base, { file: { hash: { sha256: 'A'.repeat(64) } } }),
      event('0101', base, { email: { from: { address: ['CEO@phish.example'] } } }),
    ];
    const result = await evaluateAndCommit(engine, events, stores());
    const byIndicator = Object.fromEntries(result.detections.map((d) => [d.group_key, d.event_count]));
    expect(byIndicator).toEqual({ 'indicator:dom': 2, 'indicator:hash': 1, 'indicator:mail': 1 });
  });

  it('counts warninglisted hits without detecting them', async () => {
    const engine = engineWith(indicator({ id: 'noisy', type: 'ipv4', value: '9.9.9.9' }));
    const result = await evaluateAndCommit(engine, [event('0101', base, { destination: { ip: '9.9.9.9' } })], stores());
    expect(result.detections).toEqual([]);
    expect(result.suppressedIndicatorHits).toBe(1);
    expect(result.indicatorHits).toBe(0);
  });

  it('ignores indicators not yet valid at the event time', async () => {
    const engine = engineWith(indicator({ id: 'future', type: 'ipv4', value: '198.51.100.9', valid_from: '2026-02-01T00:00:00Z' }));
    const result = await evaluateAndCommit(engine, [event('0101', base, { source: { ip: '198.51.100.9' } })], stores());
    expect(result.indicatorHits).toBe(0);
  });

  it('rejects a campaign threshold below two members', () => {
    expect(
      () => new CorrelationEngine(realRules('linux/credential_access_ssh_bruteforce.yml'), new IndicatorIndex(), members, { campaignMinMembers: 1 }),
    ).toThrow('campaignMinMembers must be at least 2');
  });
});
