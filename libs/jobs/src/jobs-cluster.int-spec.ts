import { jobs, type JobSettings, type SlaJob } from '@soc/contracts';
import { LocalRedisCluster } from '../../../test/support/redis-cluster';
import { uniqueId, waitFor } from '../../../test/support';
import { createQueue, createWorker, JobHandlers, type JobQueue, type JobWorker } from './index';

describe('createQueue / createWorker on a Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  const closing: Array<JobQueue<never, string> | JobWorker<never, string>> = [];

  beforeAll(async () => {
    cluster = await LocalRedisCluster.start();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(closing.splice(0).map((c) => c.close()));
    await cluster?.stop();
  });

  it("runs BullMQ's multi-key scripts on the cluster: each queue under its own hash tag, jobs handled", async () => {
    const id = uniqueId();
    const settings: JobSettings = { keyPrefix: `test:${id}`, incidentsQueue: `test-${id}-incidents`, webhookAttempts: 2, webhookBackoffMs: 10 };
    const seen: SlaJob[] = [];
    const worker = createWorker(
      jobs.sla,
      async (timer) => void seen.push(timer),
      { redisUrl: cluster.url, settings, connectionName: `w-${id}` },
      { handlers: new JobHandlers('alerting') },
    );
    const queue = createQueue(jobs.sla, { redisUrl: cluster.url, settings, connectionName: `q-${id}` });
    closing.push(worker as unknown as JobWorker<never, string>, queue as unknown as JobQueue<never, string>);
    await queue.add('sla', { alert_id: 'a-1', level: 1 }, { jobId: 'sla-a-1-1' });
    await queue.addBulk([{ name: 'sla', payload: { alert_id: 'a-2', level: 2 }, options: { delay: 200 } }]);
    await waitFor(
      () => seen.length === 2,
      30_000,
      () => `handled ${JSON.stringify(seen)}`,
    );
    expect(seen.map((s) => s.alert_id).sort()).toEqual(['a-1', 'a-2']);
    const held = await cluster.keysByMaster(`test:${id}:bull:{test-${id}-incidents-sla}:*`);
    // Every key of the queue sits on one master: one slot, as BullMQ's scripts need.
    expect([...held.values()].filter((keys) => keys.length > 0)).toHaveLength(1);
  });
});
