import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { alertId, alertKey } from '@soc/alerts';
import type { AppConfig } from '@soc/config';
import { allMembers, detectionFingerprint, type Detection } from '@soc/contracts';
import { MemberDirectory, membersFileSchema } from '@soc/members';
import { createRedis, type Redis } from '@soc/redis';
import { AlertRepository, AuditRepository, createElasticsearchClient, ensureIndexTemplates, ExceptionRepository, IndexNames } from '@soc/storage';
import { ActiveExceptions } from '../exceptions/active-exceptions';
import { ExceptionSuppressionsRepository } from '../exceptions/exception-suppressions.repository';
import { IncidentsQueue } from '../incidents/incidents.queue';
import { SlaTimers } from '../incidents/sla.queue';
import { WebhookNotifications } from '../webhooks/webhooks.queue';
import { AlertIntake } from './alert-intake';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const client = createElasticsearchClient(process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200');
const attacker = '203.0.113.9';

function detection(eventIds: string[], extra: Partial<Detection> = {}): Detection {
  const firstSeen = '2026-01-01T00:00:00.000Z';
  return {
    fingerprint: detectionFingerprint('ssh-brute', '0751', attacker, firstSeen),
    kind: 'correlation',
    rule: { id: 'ssh-brute', title: 'SSH brute force', level: 'high', tags: [], references: [] },
    organization: { id: '0751' },
    group_key: attacker,
    window_start: firstSeen,
    first_seen: firstSeen,
    last_seen: '2026-01-01T00:04:00.000Z',
    event_count: eventIds.length,
    event_ids: eventIds,
    observables: [{ field: 'source.ip', value: attacker }],
    detected_at: '2026-01-01T00:05:00.000Z',
    ...extra,
  };
}

const firstAlertId = alertId(alertKey(detection([])), 1);

describe(AlertIntake.name, () => {
  let names: IndexNames;
  let config: AppConfig;
  let redis: Redis;
  let incidents: IncidentsQueue;
  let timers: SlaTimers;
  let webhooks: WebhookNotifications;
  let exceptions: ExceptionRepository;
  let active: ActiveExceptions;
  let suppressions: ExceptionSuppressionsRepository;
  let alerts: AlertRepository;
  let audit: AuditRepository;
  let intake: AlertIntake;

  beforeEach(async () => {
    const id = randomUUID().slice(0, 8);
    names = new IndexNames(`test-intake-${id}`);
    await ensureIndexTemplates(client, names);
    config = {
      redis: { url: redisUrl, keyPrefix: `test:${id}` },
      alerting: { incidentsQueue: `incidents-${id}`, slaSeconds: { high: 3600 }, webhookAttempts: 1, webhookBackoffMs: 1_000, exceptionsRefreshMs: 60_000 },
    } as unknown as AppConfig;
    redis = createRedis(redisUrl, 'producer', 'intake-int-spec');
    incidents = new IncidentsQueue(config);
    timers = new SlaTimers(config);
    webhooks = new WebhookNotifications(config);
    exceptions = new ExceptionRepository(client, names);
    active = new ActiveExceptions(config, exceptions);
    suppressions = new ExceptionSuppressionsRepository(redis, config.redis.keyPrefix);
    alerts = new AlertRepository(client, names, 600);
    audit = new AuditRepository(client, names);
    const members = MemberDirectory.withDefaults(membersFileSchema.parse({ members: [{ id: '0751', webhooks: [{ url: 'http://127.0.0.1:9/hook' }] }] }));
    intake = new AlertIntake(alerts, members, audit, active, suppressions, incidents, timers, webhooks);
  });

  afterEach(async () => {
    for (const queue of [incidents.queue, timers.queue, webhooks.queue]) {
      await queue.obliterate({ force: true });
      await queue.close();
      // The queues were handed their Redis connection, so closing them leaves it open.
      await queue.disconnect();
    }
    await redis.del(`${config.redis.keyPrefix}:exceptions:suppressed`);
    redis.disconnect();
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
  });

  /** What a new alert leaves behind outside the alerts index. */
  async function sideEffects(id: string) {
    return {
      created: (await audit.forTarget(allMembers, 'alert', id)).filter((e) => e.action === 'created').length,
      incidents: (await incidents.waiting()).map((item) => item.alert_id),
      slaTimer: Boolean(await timers.queue.getJob(`sla-${id}-1`)),
      webhook: Boolean(await webhooks.queue.getJob(`alert.created-${id}--0`)),
    };
  }

  it('raises a new alert with its audit entry, incident item, first SLA timer and webhook; a redelivery adds nothing', async () => {
    const d = detection(['a', 'b']);
    const created = await intake.take(d);
    expect(created).toMatchObject({ outcome: 'created', alert: { id: firstAlertId, count: 2, status: 'new' } });
    expect(await sideEffects(firstAlertId)).toEqual({ created: 1, incidents: [firstAlertId], slaTimer: true, webhook: true });

    expect(await intake.take(d)).toMatchObject({ outcome: 'duplicate', alert: { count: 2 } });
    expect(await sideEffects(firstAlertId)).toEqual({ created: 1, incidents: [firstAlertId], slaTimer: true, webhook: true });
  });

  it('runs the new-alert side effects when an earlier run created the alert and failed before them', async () => {
    const d = detection(['a', 'b']);
    // The earlier run: the alert is written, then (say) Redis went away before anything else.
    await alerts.upsertFromDetection(d, { severity: 'high', risk_score: 73, reasons: [] });
    expect(await sideEffects(firstAlertId)).toEqual({ created: 0, incidents: [], slaTimer: false, webhook: false });

    expect((await intake.take(d)).outcome).toBe('duplicate');
    expect(await sideEffects(firstAlertId)).toEqual({ created: 1, incidents: [firstAlertId], slaTimer: true, webhook: true });
  });

  it('folds a further contribution into the open alert without raising it again', async () => {
    await intake.take(detection(['a', 'b']));
    await incidents.queue.remove(firstAlertId);
    expect(await intake.take(detection(['c']))).toMatchObject({ outcome: 'folded', alert: { id: firstAlertId, count: 3 } });
    expect(await sideEffects(firstAlertId)).toMatchObject({ created: 1, incidents: [] });
  });

  it("links a member alert to an open campaign when a later fold brings the campaign's value (the campaign searched before it)", async () => {
    // The member's alert was raised for other addresses (group key per member, as a per-member rule does).
    const member = (ip: string, ids: string[]) =>
      detection(ids, {
        fingerprint: detectionFingerprint('ssh-brute', '0751', '0751', '2026-01-01T00:00:00.000Z'),
        group_key: '0751',
        observables: [{ field: 'source.ip', value: ip }],
      });
    const raised = await intake.take(member('10.0.0.1', ['m1']));
    expect(raised).toMatchObject({ outcome: 'created' });
    // The campaign is raised while the member's alert does not hold the attacker's address yet: its link finds nothing.
    const campaign = await intake.take(
      detection(['c1'], {
        fingerprint: detectionFingerprint('campaign', 'shared-soc', attacker, '2026-01-01T00:00:00.000Z'),
        kind: 'campaign',
        rule: { id: 'campaign', title: 'Campaign across members', level: 'high', tags: [], references: [] },
        organization: { id: 'shared-soc' },
        campaign: { members: ['0101', '0751'] },
      }),
    );
    expect(campaign).toMatchObject({ outcome: 'created' });
    const campaignId = (campaign as { alert: { id: string } }).alert.id;
    const memberId = (raised as { alert: { id: string } }).alert.id;
    expect((await alerts.getStored(allMembers, memberId))?.campaign).toBeUndefined();
    await client.indices.refresh({ index: names.alerts });
    // Then the attacker's login folds into the member's alert: it joins the campaign.
    expect(await intake.take(member(attacker, ['m2']))).toMatchObject({ outcome: 'folded', new_observables: true });
    expect((await alerts.getStored(allMembers, memberId))?.campaign).toEqual({ id: campaignId, members: ['0101', '0751'] });
    // A fold that brings nothing new does not search again (the link stays as it is).
    expect(await intake.take(member(attacker, ['m3']))).toMatchObject({ outcome: 'folded', new_observables: false });
  });

  describe('in batches (takeMany)', () => {
    /** What the queues and the audit trail hold for all alerts: each job and entry once, by id. */
    async function everySideEffect() {
      await client.indices.refresh({ index: names.audit });
      const audited = await client.search<{ id: string }>({ index: names.audit, size: 100, query: { term: { action: 'created' } } });
      const ids = async (queue: Queue) => (await queue.getJobs(['prioritized', 'waiting', 'delayed'])).map((job) => job.id!).sort();
      return {
        audit: audited.hits.hits.map((hit) => hit._id!).sort(),
        incidents: await ids(incidents.queue),
        sla: await ids(timers.queue),
        webhooks: await ids(webhooks.queue),
      };
    }
    const other = (ids: string[]) =>
      detection(ids, { fingerprint: detectionFingerprint('ssh-brute', '0751', '198.51.100.7', '2026-01-01T00:00:00.000Z'), group_key: '198.51.100.7' });
    const otherId = alertId(alertKey(other([])), 1);

    it('gives each detection its own outcome, folds a key in order and runs every side effect of a created alert once', async () => {
      const taken = await intake.takeMany([detection(['a', 'b']), other(['x']), detection(['c']), detection(['d']), other(['y'])]);
      expect(taken).toMatchObject([
        { outcome: 'created', alert: { id: firstAlertId, count: 2 } },
        { outcome: 'created', alert: { id: otherId, count: 1 } },
        // Placed once the new alert's side effects were done, in order.
        { outcome: 'folded', alert: { count: 3 } },
        { outcome: 'folded', alert: { count: 4, event_ids: ['a', 'b', 'c', 'd'] } },
        { outcome: 'folded', alert: { id: otherId, count: 2 } },
      ]);
      const expected = {
        audit: [`created-${firstAlertId}`, `created-${otherId}`].sort(),
        incidents: [firstAlertId, otherId].sort(),
        sla: [`sla-${firstAlertId}-1`, `sla-${otherId}-1`].sort(),
        webhooks: [`alert.created-${firstAlertId}--0`, `alert.created-${otherId}--0`].sort(),
      };
      expect(await everySideEffect()).toEqual(expected);

      // The same batch again (every job redelivered): nothing changes, nothing is added.
      const again = await intake.takeMany([detection(['a', 'b']), other(['x']), detection(['c']), detection(['d']), other(['y'])]);
      expect(again.map((t) => (t as { outcome: string }).outcome)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
      expect((await alerts.getStored(allMembers, firstAlertId))?.count).toBe(4);
      expect(await everySideEffect()).toEqual(expected);
    });

    it("fails a created alert's later detections with its side effects, so the raising detection's retry runs them again", async () => {
      // The audit index refuses the entry (a write block), as a lost Elasticsearch would fail it.
      await client.indices.create({ index: names.audit }).catch(() => undefined);
      await client.indices.putSettings({ index: names.audit, settings: { 'index.blocks.write': true } });
      const first = await intake.takeMany([detection(['a', 'b']), detection(['c']), other(['x'])]);
      expect(first[0]).toBeInstanceOf(Error);
      expect(first[1]).toBe(first[0]);
      expect(first[2]).toBeInstanceOf(Error);
      // The alert holds only its raising detection, so its redelivery is known as the one that raised it.
      expect((await alerts.getStored(allMembers, firstAlertId))?.contributions).toHaveLength(1);

      await client.indices.putSettings({ index: names.audit, settings: { 'index.blocks.write': false } });
      const retried = await intake.takeMany([detection(['a', 'b']), detection(['c']), other(['x'])]);
      expect(retried).toMatchObject([{ outcome: 'duplicate' }, { outcome: 'folded', alert: { count: 3 } }, { outcome: 'duplicate' }]);
      expect((await everySideEffect()).audit).toEqual([`created-${firstAlertId}`, `created-${otherId}`].sort());
    });

    it('fails only the detections of the key Elasticsearch refuses; the others are placed with their side effects', async () => {
      const bad = { ...other(['x']), first_seen: 'not a date' };
      const taken = await intake.takeMany([bad, detection(['a', 'b']), { ...bad, event_ids: ['y'] }]);
      expect(taken[0]).toBeInstanceOf(Error);
      expect((taken[0] as Error).message).toContain(`alert ${otherId}: write refused (400)`);
      expect(taken[2]).toBe(taken[0]);
      expect(taken[1]).toMatchObject({ outcome: 'created', alert: { id: firstAlertId } });
      expect(await sideEffects(firstAlertId)).toEqual({ created: 1, incidents: [firstAlertId], slaTimer: true, webhook: true });
      await expect(intake.take(bad)).rejects.toThrow(`alert ${otherId}: write refused (400)`);
    });
  });

  it('keeps a detection of late events only out of the alerts when there is no alert to take it', async () => {
    expect(await intake.take(detection([], { late_event_count: 4, window_update: true }))).toEqual({ outcome: 'not_raised' });
    expect(await alerts.getStored(allMembers, firstAlertId)).toBeUndefined();
    expect(await sideEffects(firstAlertId)).toEqual({ created: 0, incidents: [], slaTimer: false, webhook: false });
  });

  it('suppresses a detection an active exception matches: counted for the exception and its member, no alert', async () => {
    const exception = await exceptions.create(
      {
        scope: { kind: 'member', member_id: '0751' },
        rule_id: 'ssh-brute',
        owner: 'soc-anna',
        reason: 'known scanner',
        conditions: [{ field: 'source.ip', op: 'cidr', value: '203.0.113.0/24' }],
        expires_at: '2099-01-01T00:00:00Z',
      },
      'soc-anna',
    );
    await active.refresh();

    expect(await intake.take(detection(['a', 'b']))).toEqual({ outcome: 'suppressed', exception_id: exception.id });
    expect(await alerts.getStored(allMembers, firstAlertId)).toBeUndefined();
    expect(await redis.hgetall(`${config.redis.keyPrefix}:exceptions:suppressed`)).toEqual({ [exception.id]: '1', [`${exception.id}|0751`]: '1' });
    expect(await sideEffects(firstAlertId)).toEqual({ created: 0, incidents: [], slaTimer: false, webhook: false });
  });
});
