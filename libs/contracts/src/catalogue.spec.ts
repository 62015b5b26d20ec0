import { eventBatchSchema, jobs, jobSetting, queuePrefix, streams, unhandledJobKinds, type JobSettings } from './catalogue';
import { describeZodError } from './validation-error';

const settings: JobSettings = { keyPrefix: 'soc', detectionsQueue: 'detections', incidentsQueue: 'incidents', webhookAttempts: 5, webhookBackoffMs: 1_000 };

describe('job catalogue', () => {
  it('names each queue from the deployment settings, the SLA and webhook queues after the incidents queue', () => {
    expect(Object.fromEntries(Object.entries(jobs).map(([name, kind]) => [name, kind.queueName(settings)]))).toEqual({
      detections: 'detections',
      incidents: 'incidents',
      sla: 'incidents-sla',
      webhooks: 'incidents-webhooks',
    });
  });

  it("keeps the detections queue on BullMQ's own prefix and the others under KEY_PREFIX", () => {
    expect(queuePrefix(jobs.detections, {})).toBeUndefined();
    expect([jobs.incidents, jobs.sla, jobs.webhooks].map((kind) => queuePrefix(kind, settings))).toEqual(['soc:bull', 'soc:bull', 'soc:bull']);
  });

  it('fails naming the setting a queue needs and was not given', () => {
    expect(() => jobs.sla.queueName({ detectionsQueue: 'd' })).toThrow('job settings: incidentsQueue (INCIDENTS_QUEUE) is not set');
    expect(() => queuePrefix(jobs.webhooks, {})).toThrow('job settings: keyPrefix (KEY_PREFIX) is not set');
    expect(() => jobSetting({ detectionsQueue: '' }, 'detectionsQueue')).toThrow('DETECTIONS_QUEUE');
  });

  it('gives each kind its retry policy; the webhooks one is configured', () => {
    expect(jobs.detections.retry(settings)).toEqual({
      attempts: 10,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    expect(jobs.sla.retry(settings)).toMatchObject({ attempts: 5, removeOnComplete: { age: 24 * 3600 } });
    expect(jobs.incidents.retry(settings)).toEqual({ attempts: 1, removeOnComplete: true, removeOnFail: false });
    expect(jobs.webhooks.retry({ ...settings, webhookAttempts: 3, webhookBackoffMs: 250 })).toEqual({
      attempts: 3,
      backoff: { type: 'exponential', delay: 250 },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: false,
    });
  });

  it('says which kinds an app must run a worker for, less those it registered', () => {
    expect(unhandledJobKinds('alerting', [])).toEqual(['detections', 'sla', 'webhooks']);
    expect(unhandledJobKinds('alerting', ['detection', 'webhook'])).toEqual(['sla']);
    expect(unhandledJobKinds('alerting', ['detection', 'sla', 'webhook'])).toEqual([]);
    // The incident work list is taken by analysts; the correlator and collector only produce.
    expect(unhandledJobKinds('correlator', [])).toEqual([]);
    expect(unhandledJobKinds('collector', [])).toEqual([]);
  });

  it('parses a job payload with its schema, naming the bad field', () => {
    const parsed = jobs.sla.payload.safeParse({ alert_id: 'a-1', level: 0 });
    expect(parsed.success).toBe(false);
    expect(describeZodError(parsed.error!).map((p) => p.path)).toEqual(['level']);
    expect(jobs.webhooks.payload.safeParse({ member: '0751', url: 'not a url', type: 'alert.created', alert_id: 'a', body: '{}' }).success).toBe(false);
  });

  it('describes the events stream: its field, its groups and the batch schema its entries are read with', () => {
    expect(streams.events).toMatchObject({ key: 'soc:events', field: 'b', groups: ['correlator', 'indexer'], producedBy: 'collector' });
    const missing = eventBatchSchema.safeParse({ events: [] });
    expect(describeZodError(missing.error!).map((p) => p.path)).toEqual(['batch_id', 'events']);
    // Read: the envelope and what consumers rely on of each event; the rest was checked when written.
    const event = { '@timestamp': '2026-01-01T00:00:00.000Z', event: { id: 'e1', ingested: '2026-01-01T00:00:01.000Z' }, organization: { id: '0751' } };
    expect(streams.events.readPayload.safeParse({ batch_id: 'b1', events: [{ ...event, source: { ip: 'not checked on read' } }] }).success).toBe(true);
    const foreign = streams.events.readPayload.safeParse({ batch_id: 'b1', events: [event, { ...event, event: {}, organization: { id: '' } }] });
    expect(describeZodError(foreign.error!).map((p) => p.path)).toEqual(['events.1.event.id', 'events.1.organization.id']);
  });
});
