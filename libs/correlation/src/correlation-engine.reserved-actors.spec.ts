import type { Detection } from '@soc/contracts';
import { IndicatorIndex } from '@soc/indicators';
import { crossMemberOrganizationId, InMemoryWindowStore } from '@soc/sigma';
import { CorrelationEngine, type CorrelationEngineOptions } from './correlation-engine';
import { InMemoryCampaignStore } from './in-memory-campaign-store';
import { at, indicator, members, realRules, sshFailure, event, evaluateAndCommit } from './testing/fixtures';

const base = '2026-01-05T10:00:00.000Z';
const campaignMembers = ['0101', '0147', '0151'];

function setup(options: Partial<CorrelationEngineOptions> = {}, index = new IndicatorIndex()) {
  const engine = new CorrelationEngine(realRules('linux/credential_access_ssh_bruteforce.yml'), index, members, options);
  return { engine, index, stores: { windows: new InMemoryWindowStore(), campaigns: new InMemoryCampaignStore() } };
}

const bruteForce = (memberId: string, minutes: number, ip: string) =>
  Array.from({ length: 10 }, (_, i) => sshFailure(memberId, at(base, minutes + i * 0.1), ip));
const atThreeMembers = (ip: string) => campaignMembers.flatMap((m, i) => bruteForce(m, i * 60, ip));
const campaigns = (r: { detections: Detection[] }) => r.detections.filter((d) => d.kind === 'campaign');

describe(`${CorrelationEngine.name} reserved addresses`, () => {
  it.each([
    '127.0.0.1', // a reverse proxy in front of each member's sshd
    '::1',
    '::ffff:127.0.0.1',
    '10.200.0.5', // private, owned by no member
    '172.16.4.4',
    '192.168.1.1',
    'fd00::5',
    '169.254.10.10',
    'fe80::1',
    '100.64.0.1',
    '203.0.113.66', // documentation: reserved by default
    '2001:db8::66',
    '0.0.0.0',
    '198.18.0.1',
  ])('makes no campaign and no promotion of %s brute-forcing three members, while each member still gets its alert', async (ip) => {
    const { engine, stores } = setup();
    const result = await evaluateAndCommit(engine, atThreeMembers(ip), stores);
    expect(campaigns(result)).toEqual([]);
    expect(result.promotions).toEqual([]);
    const own = result.detections.filter((d) => d.kind === 'correlation');
    expect(own.map((d) => d.organization.id).sort()).toEqual([...campaignMembers].sort());
  });

  it('does make a campaign and a promotion of a public address in the same batch', async () => {
    const { engine, stores } = setup();
    const result = await evaluateAndCommit(engine, [...atThreeMembers('127.0.0.1'), ...atThreeMembers('91.240.118.172')], stores);
    expect(campaigns(result).map((d) => d.group_key)).toEqual(['source.ip=91.240.118.172']);
    expect(result.promotions.map((p) => p.indicator.value)).toEqual(['91.240.118.172']);
  });

  it('treats documentation addresses as actors only when the deployment says they are public', async () => {
    const { engine, stores } = setup({ addressScope: { documentationIsPublic: true } });
    const result = await evaluateAndCommit(engine, [...atThreeMembers('203.0.113.66'), ...atThreeMembers('10.200.0.5')], stores);
    expect(campaigns(result).map((d) => d.group_key)).toEqual(['source.ip=203.0.113.66']);
    expect(result.promotions.map((p) => p.indicator.id)).toEqual(['campaign:source.ip=203.0.113.66']);
  });

  it('warns nobody from a promoted loopback indicator already in the shared set, counting the held-back hits', async () => {
    const index = new IndicatorIndex();
    index.add(indicator({ id: 'campaign:source.ip=127.0.0.1', type: 'ipv4', value: '127.0.0.1', source: 'campaign', confidence: 80, labels: ['campaign'] }));
    const { engine, stores } = setup({}, index);
    const result = await evaluateAndCommit(engine, [sshFailure('0153', base, '127.0.0.1'), sshFailure('0155', base, '127.0.0.1')], stores);
    expect(result.detections.filter((d) => d.kind === 'early_warning')).toEqual([]);
    expect(result.indicatorHits).toBe(0);
    expect(result.suppressedIndicatorHits).toBe(2);
  });

  it("still detects an analyst's private-address indicator at each member, without a cross-member campaign", async () => {
    const index = new IndicatorIndex();
    index.add(indicator({ id: 'internal-threat', type: 'ipv4', value: '10.99.0.7', source: 'analyst' }));
    const { engine, stores } = setup({ campaignMinMembers: 2 }, index);
    const hits = campaignMembers.map((m, i) => event(m, at(base, i), { destination: { ip: '10.99.0.7' } }));
    const result = await evaluateAndCommit(engine, hits, stores);
    expect(
      result.detections
        .filter((d) => d.kind === 'indicator')
        .map((d) => d.organization.id)
        .sort(),
    ).toEqual([...campaignMembers].sort());
    expect(campaigns(result)).toEqual([]);
  });

  it("keeps member origin on declared ranges: a member's private address attacking another member is still reported", async () => {
    // fixtures: 0101 owns 10.1.0.0/16.
    const { engine, stores } = setup();
    const result = await evaluateAndCommit(
      engine,
      [...bruteForce('0147', 0, '10.1.2.3'), ...bruteForce('0151', 60, '10.1.2.3'), ...bruteForce('0153', 120, '10.1.2.3')],
      stores,
    );
    const origin = result.detections.filter((d) => d.kind === 'member_origin' && d.organization.id === crossMemberOrganizationId);
    expect(origin.map((d) => d.group_key).sort()).toEqual(['0147', '0151', '0153'].map((t) => `origin=0101;target=${t};source.ip=10.1.2.3`));
    expect(campaigns(result)).toEqual([]);
  });
});
