import { Injectable, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { detectionFingerprint, jobs, type Detection, type JobSettings, type SlaJob } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { captureLogs } from '../../platform/src/testing/captured-logs';
import { redisUrl, uniqueId, waitFor } from '../../../test/support';
import { createQueue, createWorker, JobHandlers, type JobQueue, type JobWorker } from './index';

const detection: Detection = {
  fingerprint: detectionFingerprint('ssh-brute', '0751', '192.0.2.10', '2026-01-01T00:00:00.000Z'),
  kind: 'rule',
  rule: { id: 'ssh-brute', title: 'SSH brute force', level: 'high', tags: [], references: [] },
  organization: { id: '0751' },
  group_key: '192.0.2.10',
  window_start: '2026-01-01T00:00:00.000Z',
  first_seen: '2026-01-01T00:00:00.000Z',
  last_seen: '2026-01-01T00:04:00.000Z',
  event_count: 1,
  event_ids: ['e1'],
  observables: [],
  detected_at: '2026-01-01T00:05:00.000Z',
};

describe('createQueue / createWorker', () => {
  let id: string;
  let settings: JobSettings;
  let redis: Redis;
  const closing: Array<JobQueue<never, string> | JobWorker<never, string>> = [];

  function track<T>(thing: T): T {
    closing.push(thing as unknown as JobQueue<never, string>);
    return thing;
  }

  beforeEach(() => {
    id = uniqueId();
    settings = {
      keyPrefix: `test:${id}`,
      detectionsQueue: `test-${id}-detections`,
      incidentsQueue: `test-${id}-incidents`,
      webhookAttempts: 2,
      webhookBackoffMs: 10,
    };
    redis = createRedis(redisUrl, 'consumer', 'jobs-int-spec');
  });

  afterEach(async () => {
    await Promise.all(closing.splice(0).map((c) => c.close()));
    const keys = await redis.keys(`*${id}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  async function clientNames(): Promise<string[]> {
    const list = (await redis.client('LIST')) as string;
    return list.split('\n').map((line) => /name=(\S*)/.exec(line)?.[1] ?? '');
  }

  it('adds each job under the catalogue name and prefix with its retry policy, and hands the worker the parsed payload', async () => {
    const handlers = new JobHandlers('alerting');
    const seen: SlaJob[] = [];
    track(createWorker(jobs.sla, async (timer) => void seen.push(timer), { redisUrl, settings, connectionName: `w-${id}` }, { handlers }));
    const queue = track(createQueue(jobs.sla, { redisUrl, settings, connectionName: `q-${id}` }));
    await queue.add('sla', { alert_id: 'a-1', level: 1 }, { jobId: 'sla-a-1-1' });
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual([{ alert_id: 'a-1', level: 1 }]);
    expect(queue.name).toBe(`test-${id}-incidents-sla`);
    expect(await redis.exists(`test:${id}:bull:test-${id}-incidents-sla:meta`)).toBe(1);
    const job = await queue.queue.getJob('sla-a-1-1');
    expect(job?.opts).toMatchObject({ attempts: 5, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: { age: 86_400 } });
  });

  it("keeps the detections queue on BullMQ's own prefix, where jobs queued before an upgrade are", async () => {
    const queue = track(createQueue(jobs.detections, { redisUrl, settings, connectionName: `q-${id}` }));
    await queue.add('detection', detection, { jobId: 'd-1' });
    // What an older version, and the e2e specs, read: a plain BullMQ queue by name, default prefix.
    const plain = new Queue(`test-${id}-detections`, { connection: redis });
    try {
      expect((await plain.getJob('d-1'))?.data).toEqual(detection);
    } finally {
      await plain.close();
    }
    expect(await redis.keys(`test:${id}:bull:*`)).toEqual([]);
  });

  it('fails a job whose payload breaks its schema for good, naming the field, and logs it once as final', async () => {
    const logs = captureLogs('warn');
    try {
      const handled: unknown[] = [];
      const worker = track(
        createWorker(
          jobs.sla,
          async (timer) => void handled.push(timer),
          { redisUrl, settings, connectionName: `w-${id}` },
          {
            handlers: new JobHandlers('alerting'),
            failedFields: (job) => ({ alert_id: (job.data as { alert_id?: string }).alert_id }),
          },
        ),
      );
      const queue = track(createQueue(jobs.sla, { redisUrl, settings, connectionName: `q-${id}` }));
      // A producer outside this code (an older version, a hand-made job): the types no longer guard it.
      await queue.queue.add('sla', { alert_id: 'a-2', level: 'one' }, { jobId: 'bad' });
      await waitFor(async () => (await queue.queue.getJob('bad'))?.failedReason !== undefined);
      const job = await queue.queue.getJob('bad');
      expect(job?.failedReason).toBe('invalid sla payload: level: Invalid input: expected number, received string');
      expect(job?.attemptsMade).toBe(1);
      expect(handled).toEqual([]);
      await waitFor(() => logs.lines.some((l) => l.msg === 'job failed'));
      expect(logs.lines.filter((l) => l.msg === 'job failed')).toEqual([
        expect.objectContaining({ queue: worker.name, kind: 'sla', job_id: 'bad', final: true, alert_id: 'a-2', error: job?.failedReason }),
      ]);
    } finally {
      logs.restore();
    }
  });

  it('closes its own Redis connection with the queue or worker (BullMQ leaves a handed one open)', async () => {
    const queue = createQueue(jobs.webhooks, { redisUrl, settings, connectionName: `q-${id}` });
    const worker = createWorker(
      jobs.webhooks,
      async () => undefined,
      { redisUrl, settings, connectionName: `w-${id}` },
      { handlers: new JobHandlers('alerting') },
    );
    await queue.queue.waitUntilReady();
    await worker.worker.waitUntilReady();
    await waitFor(async () => (await clientNames()).includes(`q-${id}`) && (await clientNames()).includes(`w-${id}`));
    await queue.close();
    await worker.close();
    let names: string[] = [];
    await waitFor(
      async () => !(names = await clientNames()).some((name) => name === `q-${id}` || name === `w-${id}`),
      5_000,
      () => `still connected: ${names.filter((n) => n.includes(id)).join(', ')}`,
    );
  });

  it('logs a repeated connection error once, not on every reconnect attempt', async () => {
    const logs = captureLogs('error');
    try {
      // Nothing listens on port 1: every reconnect attempt fails the same way.
      const queue = createQueue(jobs.sla, { redisUrl: 'redis://127.0.0.1:1', settings, connectionName: `q-${id}` });
      const errors: Error[] = [];
      queue.queue.on('error', (error) => errors.push(error));
      await waitFor(() => errors.length >= 3, 10_000);
      await queue.close();
      const logged = logs.lines.filter((l) => l.msg === 'queue error');
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ queue: `test-${id}-incidents-sla`, kind: 'sla', error: expect.stringContaining('ECONNREFUSED') });
    } finally {
      logs.restore();
    }
  });

  it('refuses a worker for a kind nobody runs a worker for, or for another app, or twice', () => {
    const handlers = new JobHandlers('alerting');
    const connection = { redisUrl, settings, connectionName: `w-${id}` };
    expect(() => createWorker(jobs.incidents, async () => undefined, connection, { handlers })).toThrow(
      /^incident jobs have no worker: they are taken by analysts/,
    );
    expect(() => new JobHandlers('correlator').register(jobs.detections)).toThrow(
      'detection jobs are handled by alerting, not correlator (libs/contracts catalogue)',
    );
    handlers.register(jobs.sla);
    expect(() => handlers.register(jobs.sla)).toThrow('alerting registered a second worker for sla jobs');
  });

  it('stops the start-up naming each job kind the app handles and has no worker for', () => {
    const handlers = new JobHandlers('alerting');
    handlers.register(jobs.detections);
    expect(() => handlers.onApplicationBootstrap()).toThrow(
      'alerting has no worker for sla (sla jobs), webhooks (webhook jobs): the catalogue in libs/contracts says alerting handles them',
    );
    handlers.register(jobs.sla);
    handlers.register(jobs.webhooks);
    expect(() => handlers.onApplicationBootstrap()).not.toThrow();
    expect(() => new JobHandlers('correlator').onApplicationBootstrap()).not.toThrow();
  });

  it('runs the start-up check when a Nest app starts: a missing worker stops it, naming the kind', async () => {
    const connection = () => ({ redisUrl, settings, connectionName: `w-${id}` });
    @Injectable()
    class SlaOnly implements OnModuleInit, OnModuleDestroy {
      private worker?: JobWorker<typeof jobs.sla.payload, 'sla'>;
      constructor(private readonly handlers: JobHandlers) {}
      onModuleInit(): void {
        // Tracked: a Nest app that fails to start never calls onModuleDestroy.
        this.worker = track(createWorker(jobs.sla, async () => undefined, connection(), { handlers: this.handlers }));
      }
      async onModuleDestroy(): Promise<void> {
        await this.worker?.close();
      }
    }
    @Module({ providers: [{ provide: JobHandlers, useFactory: () => new JobHandlers('alerting') }, SlaOnly] })
    class PartialAlerting {}
    await expect(NestFactory.createApplicationContext(PartialAlerting, { logger: false, abortOnError: false })).rejects.toThrow(
      'alerting has no worker for detections (detection jobs), webhooks (webhook jobs)',
    );
  });
});
