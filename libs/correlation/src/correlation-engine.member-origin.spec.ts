import { IndicatorIndex } from '@soc/indicators';
import { crossMemberOrganizationId, InMemoryWindowStore } from '@soc/sigma';
import { CorrelationEngine } from './correlation-engine';
import { InMemoryCampaignStore } from './in-memory-campaign-store';
import { at, event, indicator, members, realRules, sshFailure } from './testing/fixtures';

const base = '2026-01-05T10:00:00.000Z';
const stores = () => ({ windows: new InMemoryWindowStore(), campaigns: new InMemoryCampaignStore() });
const engine = (index = new IndicatorIndex()) => new CorrelationEngine(realRules('linux/credential_access_ssh_bruteforce.yml'), index, members);

// Member 0101 owns 10.1.0.0/16 (the origin, A); 0147 owns 10.47.0.0/16 (the target, B).
describe(`${CorrelationEngine.name} member origin`, () => {
  it('tells the SOC that member A attacked member B', async () => {
    const attack = [sshFailure('0147', base, '10.1.2.3'), sshFailure('0147', at(base, 1), '10.1.2.3')];
    const result = await engine().evaluate(attack, stores());
    const soc = result.detections.filter((d) => d.kind === 'member_origin' && d.organization.id === crossMemberOrganizationId);
    expect(soc).toHaveLength(1);
    expect(soc[0]).toMatchObject({ group_key: 'origin=0101;target=0147;source.ip=10.1.2.3', event_count: 2, window_start: base });
    expect(soc[0].observables).toEqual(
      expect.arrayContaining([
        { field: 'origin.member', value: '0101' },
        { field: 'target.member', value: '0147' },
        { field: 'attack.sign', value: 'failed_authentication' },
      ]),
    );
    expect(soc[0].event_ids).toEqual(attack.map((e) => e.event.id));
  });

  it('tells member A about its own address and nothing about B', async () => {
    const attack = [sshFailure('0147', base, '10.1.2.3'), sshFailure('0147', at(base, 1), '10.1.2.3')];
    const result = await engine().evaluate(attack, stores());
    const own = result.detections.filter((d) => d.organization.id === '0101');
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ kind: 'member_origin', group_key: 'source.ip=10.1.2.3', event_count: 2 });
    expect(own[0].observables).toEqual([{ field: 'source.ip', value: '10.1.2.3' }]);
    const text = JSON.stringify(own[0]);
    expect(text).not.toContain('0147');
    for (const e of attack) expect(text).not.toContain(e.event.id);
  });

  it('does not tell member B who attacked it', async () => {
    const attack = Array.from({ length: 12 }, (_, i) => sshFailure('0147', at(base, i * 0.1), '10.1.2.3'));
    const result = await engine().evaluate(attack, stores());
    const atB = result.detections.filter((d) => d.organization.id === '0147');
    expect(atB.length).toBeGreaterThan(0); // B's own brute-force detection
    expect(atB.every((d) => d.kind === 'correlation' || d.kind === 'rule')).toBe(true);
    expect(JSON.stringify(atB)).not.toContain('0101');
  });

  it('counts an event once when it is both a failed login and part of a detection', async () => {
    const attack = Array.from({ length: 10 }, (_, i) => sshFailure('0147', at(base, i * 0.1), '10.1.2.3'));
    const result = await engine().evaluate(attack, stores());
    const soc = result.detections.find((d) => d.kind === 'member_origin' && d.organization.id === crossMemberOrganizationId)!;
    expect(soc.event_count).toBe(10);
    expect(soc.observables).toEqual(expect.arrayContaining([{ field: 'attack.sign', value: 'detection' }]));
  });

  it('counts an indicator hit at B from A as a sign', async () => {
    const index = new IndicatorIndex();
    index.add(indicator({ id: 'scanner', type: 'ipv4', value: '10.1.9.9' }));
    const result = await engine(index).evaluate([event('0147', base, { source: { ip: '10.1.9.9' } })], stores());
    expect(result.detections.map((d) => `${d.kind}@${d.organization.id}`).sort()).toEqual(['indicator@0147', 'member_origin@0101', 'member_origin@shared-soc']);
  });

  it('ignores a member failing against itself and addresses nobody owns', async () => {
    const result = await engine().evaluate([sshFailure('0101', base, '10.1.2.3'), sshFailure('0147', base, '203.0.113.5')], stores());
    expect(result.detections.filter((d) => d.kind === 'member_origin')).toEqual([]);
  });

  it('ignores a successful login from another member', async () => {
    const ok = event('0147', base, {
      event: { dataset: 'linux.sshd', category: ['authentication'], type: ['start'], outcome: 'success' },
      source: { ip: '10.1.2.3' },
    });
    const result = await engine().evaluate([ok], stores());
    expect(result.detections).toEqual([]);
  });
});
