import { randomUUID } from 'node:crypto';
import { detectionJobId, jobs, type Detection } from '@soc/contracts';
import { createQueue } from '@soc/jobs';
import { createElasticsearchClient } from '@soc/storage';
import { createRedis } from '@soc/redis';
import { BenchProcess } from '../support/bench-process';
import { privateBenchEnv } from '../support/private-env';

export interface IntakeFigures {
  detections: number;
  alert_keys: number;
  detections_per_s: number;
  /** Job added → job done (the alert written with its side effects): what an analyst waits for. */
  job_p50_ms: number;
  job_p99_ms: number;
  failed: number;
}

/**
 * The whole intake as alerting runs it: the alerting process started from `dist/` with its
 * detections worker, `detections` jobs added at once to its queue (the correlator's job ids), and
 * the time until the last is done. Unlike the upsert figure, each created alert also gets its
 * audit entry, campaign lookup, incident job, SLA timer and webhook jobs, and each job is fetched
 * and completed through BullMQ.
 */
export async function measureIntake(
  make: (i: number) => Detection,
  detections: number,
  keys: number,
  options: { cpuProfileDir?: string } = {},
): Promise<IntakeFigures> {
  const id = randomUUID().slice(0, 8);
  const env = privateBenchEnv(id);
  const queue = createQueue(jobs.detections, {
    redisUrl: env.REDIS_URL!,
    settings: { keyPrefix: env.KEY_PREFIX, detectionsQueue: env.DETECTIONS_QUEUE },
    connectionName: 'bench-intake',
  });
  let alerting: BenchProcess | undefined;
  try {
    alerting = await BenchProcess.start('alerting', env, {}, options);
    const all = Array.from({ length: detections }, (_, i) => make(i));
    const added = Date.now();
    for (let i = 0; i < all.length; i += 500) {
      await queue.addBulk(all.slice(i, i + 500).map((d) => ({ name: 'detection' as const, payload: d, options: { jobId: detectionJobId(d) } })));
    }
    const deadline = Date.now() + 600_000;
    for (;;) {
      const counts = await queue.queue.getJobCounts('completed', 'failed');
      if ((counts.completed ?? 0) + (counts.failed ?? 0) >= detections) break;
      if (alerting.exited) throw new Error(`alerting ended during the run:\n${alerting.log}`);
      if (Date.now() > deadline) throw new Error(`the intake did not finish ${detections} detections within 600 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const done = await queue.queue.getJobs(['completed'], 0, -1);
    const latencies = done.map((j) => (j.finishedOn ?? 0) - j.timestamp).sort((a, b) => a - b);
    const last = Math.max(...done.map((j) => j.finishedOn ?? 0));
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
    return {
      detections,
      alert_keys: keys,
      detections_per_s: Math.round((detections * 1000) / (last - added)),
      job_p50_ms: pct(0.5),
      job_p99_ms: pct(0.99),
      failed: (await queue.queue.getJobCounts('failed')).failed ?? 0,
    };
  } finally {
    await alerting?.stop();
    await queue.queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    const client = createElasticsearchClient(env.ELASTICSEARCH_URL!);
    await client.indices.delete({ index: `${env.INDEX_PREFIX}-*`, ignore_unavailable: true, allow_no_indices: true }).catch(() => undefined);
    await client.indices.deleteIndexTemplate({ name: `${env.INDEX_PREFIX}-*` }).catch(() => undefined);
    await client.close();
    const redis = createRedis(env.REDIS_URL!, 'worker', 'bench-intake-cleanup');
    const leftovers = await redis.keys(`*${id}*`);
    for (let i = 0; i < leftovers.length; i += 1000) await redis.del(...leftovers.slice(i, i + 1000));
    redis.disconnect();
  }
}
