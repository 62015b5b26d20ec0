import { detectionContributionId, detectionJobId, type Detection } from '@soc/contracts';
import { IndicatorIndex } from '@soc/indicators';
import { InMemoryWindowStore } from '@soc/sigma';
import { commitCorrelation, CorrelationEngine } from './correlation-engine';
import { InMemoryCampaignStore } from './in-memory-campaign-store';
import { at, event, indicator, members, realRules, sshFailure } from './testing/fixtures';

/**
 * The engine writes nothing "fired" itself: it returns it (`result.commit`), and the correlator
 * commits it once the detections are enqueued. A crash in between is a redelivery that finds the
 * windows and campaigns unspent and fires them again, with the same job ids.
 */
const base = '2026-01-05T10:00:00.000Z';

function setup() {
  const index = new IndicatorIndex();
  index.add(indicator({ id: 'feodo-1', type: 'ipv4', value: '45.137.21.9' }));
  const engine = new CorrelationEngine(realRules('linux/credential_access_ssh_bruteforce.yml'), index, members);
  return { engine, stores: { windows: new InMemoryWindowStore(), campaigns: new InMemoryCampaignStore() } };
}

const jobs = (detections: readonly Detection[]) =>
  detections.filter((d) => d.kind === 'correlation' || d.kind === 'campaign').map((d) => [detectionJobId(d), detectionContributionId(d)]);

describe('what an evaluation fired is committed by the caller', () => {
  const bruteForce = Array.from({ length: 6 }, (_, i) => sshFailure('0101', at(base, i * 0.1), '45.155.205.1'));
  const campaignHits = ['0101', '0147', '0151'].map((member, i) => event(member, at(base, i), { destination: { ip: '45.137.21.9' } }));
  const batch = [...bruteForce, ...campaignHits];

  it('returns the fired window and campaign as data and leaves them unspent until committed', async () => {
    const { engine, stores } = setup();
    const first = await engine.evaluate(batch, stores);
    expect(first.commit.windows).toHaveLength(1);
    expect(first.commit.campaigns).toHaveLength(1);
    expect(jobs(first.detections)).toHaveLength(2);

    // Not committed (a crash before it): the redelivered batch fires both again, as the same jobs.
    const redelivered = await engine.evaluate(batch, stores);
    expect(jobs(redelivered.detections)).toEqual(jobs(first.detections));

    await commitCorrelation(stores, redelivered.commit);
    const afterCommit = await engine.evaluate(batch, stores);
    // Committed: the window is spent (nothing fires), and the campaign only replays the contribution
    // it already made (same job id, which BullMQ and alerting take once), without firing anew.
    expect(afterCommit.detections.filter((d) => d.kind === 'correlation')).toEqual([]);
    const campaignJob = jobs(first.detections.filter((d) => d.kind === 'campaign'));
    expect(jobs(afterCommit.detections)).toEqual(campaignJob);
    expect(afterCommit.commit).toEqual({ windows: [], campaigns: [] });
  });
});
