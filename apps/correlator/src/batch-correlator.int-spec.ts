import { Queue } from 'bullmq';
import { detectionContributionId, detectionJobId, type Detection } from '@soc/contracts';
import { CorrelationEngine } from '@soc/correlation';
import { IndicatorIndex } from '@soc/indicators';
import { IndicatorRepository, IndicatorSightingsRepository } from '@soc/indicator-store';
import { IngestionHealthRepository } from '@soc/ingestion-health';
import { createRedis, type Redis } from '@soc/redis';
import { at, members, realRules, sshFailure } from '../../../libs/correlation/src/testing/fixtures';
import { BatchCorrelator } from './batch-correlator';
import { DetectionQueue } from './detection.queue';
import { CampaignStateRepository, WindowStateRepository } from '@soc/correlation-state';
import { twoReplicaRedis } from '../../../libs/correlation-state/src/two-replica-redis.testing';
import { redisUrl, uniqueName } from '../../../test/support';

const base = '2026-01-05T09:00:00.000Z';

/** A real detections queue whose first `enqueue` waits until released: holds one replica between evaluating and enqueueing. */
class HeldDetectionQueue extends DetectionQueue {
  private release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));
  private arrived!: () => void;
  /** Resolves when the held replica has evaluated its batch and is about to enqueue. */
  readonly reached = new Promise<void>((resolve) => (this.arrived = resolve));

  override async enqueue(detections: Detection[]): Promise<void> {
    this.arrived();
    await this.released;
    return super.enqueue(detections);
  }

  letGo(): void {
    this.release();
  }
}

describe('two correlator replicas firing one correlation window in the same instant', () => {
  const db = twoReplicaRedis('batch-correlator', redisUrl);
  let queueName: string;
  let reader: Queue;
  let readerRedis: Redis;
  const closing: DetectionQueue[] = [];

  beforeAll(() => {
    readerRedis = createRedis(redisUrl, 'worker', 'batch-correlator-test-reader');
  });
  beforeEach(() => {
    queueName = uniqueName('detections-test');
    reader = new Queue(queueName, { connection: readerRedis });
  });
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((q) => q.onModuleDestroy()));
    await reader.obliterate({ force: true });
    await reader.close();
  });
  afterAll(() => readerRedis.disconnect());

  function replica(redis: Redis, queue: DetectionQueue): BatchCorrelator {
    closing.push(queue);
    const engine = new CorrelationEngine(realRules('linux/credential_access_ssh_bruteforce.yml'), new IndicatorIndex(), members);
    return new BatchCorrelator(
      engine,
      new WindowStateRepository(redis, db.prefix),
      new CampaignStateRepository(redis, db.prefix),
      queue,
      new IndicatorRepository(redis, db.prefix),
      new IndicatorSightingsRepository(redis, db.prefix),
      new IngestionHealthRepository(redis, db.prefix),
    );
  }

  const failures = (from: number, count: number) => Array.from({ length: count }, (_, i) => sshFailure('0751', at(base, (from + i) / 10), '203.0.113.9'));

  it('enqueues the window once, as one replica handling both batches would', async () => {
    const heldQueue = new HeldDetectionQueue(redisUrl, queueName);
    const held = replica(db.redis, heldQueue);
    const other = replica(db.other, new DetectionQueue(redisUrl, queueName));

    // Replica A's batch crosses the brute-force threshold (10 in 5 minutes); A stops before enqueueing.
    const first = held.correlate(failures(0, 10));
    await heldQueue.reached;
    // Replica B's batch adds one failure to the same window: B re-reads A's entries and fires it too.
    const second = await other.correlate(failures(10, 1));
    heldQueue.letGo();
    const firstResult = await first;

    const fired = (result: { detections: Detection[] }) => result.detections.filter((d) => d.kind === 'correlation');
    expect(fired(firstResult)).toHaveLength(1);
    expect(fired(second)).toHaveLength(1);
    const [a, b] = [fired(firstResult)[0], fired(second)[0]];
    // The same window (one fingerprint), seen by each replica with the entries it had read.
    expect(a.fingerprint).toBe(b.fingerprint);
    expect([a.event_count, b.event_count]).toEqual([10, 11]);
    expect(detectionContributionId(a)).not.toBe(detectionContributionId(b));

    const jobs = await reader.getJobs(['waiting']);
    const correlationJobs = jobs.filter((job) => (job.data as Detection).kind === 'correlation');
    expect(correlationJobs.map((job) => job.id)).toEqual([detectionJobId(b)]);
    expect((correlationJobs[0].data as Detection).event_count).toBe(11);
  });

  it('enqueues each detection with the correlation id of the batch that produced it', async () => {
    const queue = new DetectionQueue(redisUrl, queueName);
    closing.push(queue);
    const result = await replica(db.redis, queue).correlate(failures(0, 10), 'corr-batch-1');
    expect(result.detections.length).toBeGreaterThan(0);
    const jobs = await reader.getJobs(['waiting']);
    expect(jobs.map((job) => (job.data as Detection).correlation_id)).toEqual(jobs.map(() => 'corr-batch-1'));
    expect(jobs).toHaveLength(result.detections.length);
  });

  it('still enqueues every contribution of the kinds that contribute per batch', async () => {
    const queue = new DetectionQueue(redisUrl, queueName);
    closing.push(queue);
    const result = await replica(db.redis, queue).correlate(failures(0, 10));
    const [window] = result.detections.filter((d) => d.kind === 'correlation');
    // A rule's detections share their bucket's fingerprint across batches: each batch's events are a contribution.
    const rule = (ids: string[]): Detection => ({ ...window, kind: 'rule', event_ids: ids, event_count: ids.length });
    await queue.enqueue([rule(['e1']), rule(['e2']), rule(['e1'])]);
    const jobs = await reader.getJobs(['waiting']);
    expect(jobs.filter((job) => (job.data as Detection).kind === 'rule')).toHaveLength(2);
    expect(jobs.filter((job) => (job.data as Detection).kind === 'correlation')).toHaveLength(1);
  });
});
