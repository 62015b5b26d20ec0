import { detectionFingerprint, detectionSchema, SocEvent } from '@soc/contracts';
import { crossMemberOrganizationId, RuleSet } from './rule-set';
import { compileOrThrow, detectionRule, ecsEvent, evaluateAndMark } from './testing/rules';
import { InMemoryWindowStore } from './in-memory-window-store';

const now = new Date('2026-01-05T12:00:00.000Z');
const ruleId = '00000000-0000-4000-8000-000000000001';

const sqlInjection = compileOrThrow(detectionRule("selection:\n    cs-uri-query|contains: 'union select'\ncondition: selection", 'category: webserver'));
const attack = (time: string, member = '0101', ip = '203.0.113.9'): SocEvent =>
  ecsEvent({
    '@timestamp': time,
    organization: { id: member },
    event: { dataset: 'nginx.access' },
    url: { original: '/?id=1 UNION SELECT 1' },
    source: { ip },
  });

const bruteForce = (threshold = 5, extra = '') => compileOrThrow(bruteForceText(threshold, extra));
const bruteForceText = (threshold: number, extra = '') => `title: SSH brute force
id: f25b0cb0-0df5-4459-86a3-6ecc84289693
level: medium
${extra}correlation:
    type: event_count
    rules: [ssh_failed]
    group-by: [source.ip]
    timespan: 5m
    condition:
        gte: ${threshold}
---
title: SSH failure
name: ssh_failed
logsource:
    product: linux
    service: sshd
detection:
    selection:
        event.outcome: failure
    condition: selection
`;
const failure = (time: string, ip = '203.0.113.7', member = '0101', user = 'root'): SocEvent =>
  ecsEvent({ '@timestamp': time, organization: { id: member }, event: { dataset: 'linux.sshd', outcome: 'failure' }, source: { ip }, user: { name: user } });
const minuteOf = (start: string, count: number, ip?: string) =>
  Array.from({ length: count }, (_, i) => failure(new Date(Date.parse(start) + i * 1_000).toISOString(), ip));

const evaluate = (ruleSet: RuleSet, events: SocEvent[], store = new InMemoryWindowStore()) => evaluateAndMark(ruleSet, events, store, { now });

describe(RuleSet.name, () => {
  describe('single-event rules', () => {
    it('turns a flood of matches into one detection per rule, member and hour, counting every match', async () => {
      const events = Array.from({ length: 1_000 }, (_, i) => attack(new Date(Date.parse('2026-01-05T10:00:00Z') + i * 1_000).toISOString()));
      const { detections, matchedEvents } = await evaluate(sqlInjection, events);
      expect(matchedEvents).toBe(1_000);
      expect(detections).toHaveLength(1);
      const [detection] = detections;
      expect(detectionSchema.parse(detection)).toEqual(detection);
      expect(detection).toMatchObject({
        kind: 'rule',
        organization: { id: '0101' },
        group_key: '',
        window_start: '2026-01-05T10:00:00.000Z',
        first_seen: '2026-01-05T10:00:00.000Z',
        last_seen: '2026-01-05T10:16:39.000Z',
        event_count: 1_000,
        detected_at: now.toISOString(),
        observables: [
          { field: 'source.ip', value: '203.0.113.9' },
          { field: 'url.original', value: '/?id=1 UNION SELECT 1' },
        ],
      });
      expect(detection.event_ids).toHaveLength(100);
      expect(detection.fingerprint).toBe(detectionFingerprint(ruleId, '0101', '', '2026-01-05T10:00:00.000Z'));
    });

    it('shows at most 50 observables and 100 event ids, the first seen, each once', async () => {
      // 120 attackers, each twice: more distinct values and events than a detection carries.
      const events = Array.from({ length: 240 }, (_, i) =>
        attack(new Date(Date.parse('2026-01-05T10:00:00Z') + i * 1_000).toISOString(), '0101', `198.51.100.${i % 120}`),
      );
      const [detection] = (await evaluate(sqlInjection, events)).detections;
      expect(detection.event_count).toBe(240);
      expect(detection.event_ids).toEqual(events.slice(0, 100).map((e) => e.event!.id));
      expect(detection.observables).toHaveLength(50);
      expect(new Set(detection.observables.map((o) => `${o.field}=${o.value}`)).size).toBe(50);
      expect(detection.observables.filter((o) => o.field === 'source.ip').map((o) => o.value)).toEqual(Array.from({ length: 49 }, (_, i) => `198.51.100.${i}`));
      expect(detectionSchema.parse(detection)).toEqual(detection);
    });

    it('keeps members and hours apart', async () => {
      const { detections } = await evaluate(sqlInjection, [
        attack('2026-01-05T10:10:00Z', '0101'),
        attack('2026-01-05T10:20:00Z', '0147'),
        attack('2026-01-05T11:10:00Z', '0101'),
      ]);
      expect(detections.map((d) => [d.organization.id, d.window_start])).toEqual([
        ['0101', '2026-01-05T10:00:00.000Z'],
        ['0147', '2026-01-05T10:00:00.000Z'],
        ['0101', '2026-01-05T11:00:00.000Z'],
      ]);
    });

    it('gives a redelivered batch the same fingerprints', async () => {
      const batch = [attack('2026-01-05T10:10:00Z'), attack('2026-01-05T10:11:00Z')];
      const first = await evaluate(sqlInjection, batch);
      const again = await evaluate(sqlInjection, batch);
      expect(again.detections.map((d) => d.fingerprint)).toEqual(first.detections.map((d) => d.fingerprint));
    });

    it('ignores events without a dataset and counts events whose time cannot be read', async () => {
      const broken = { ...attack('2026-01-05T10:10:00Z'), '@timestamp': 'yesterday' } as SocEvent;
      const noDataset = ecsEvent({ url: { original: '/?UNION SELECT' } });
      const result = await evaluate(sqlInjection, [broken, noDataset]);
      expect(result).toMatchObject({ detections: [], matchedEvents: 0, invalidTimestamps: 1 });
    });
  });

  describe('correlation rules', () => {
    it('keep nothing of a batch that failed half-way for the next batch', async () => {
      const ruleSet = bruteForce(3);
      // The fifth event matches, then cannot be timed: the batch fails after four correlation matches were gathered.
      const unreadable = failure('2026-01-05T10:00:04Z');
      Object.defineProperty(unreadable, '@timestamp', {
        get: () => {
          throw new Error('unreadable timestamp');
        },
      });
      const store = new InMemoryWindowStore();
      await expect(evaluate(ruleSet, [...minuteOf('2026-01-05T10:00:00Z', 4), unreadable], store)).rejects.toThrow('unreadable timestamp');
      // Two failures of another address: under the threshold of 3, and nothing of the failed batch comes along.
      const next = await evaluate(ruleSet, minuteOf('2026-01-05T10:01:00Z', 2, '198.51.100.4'), store);
      expect(next.detections).toEqual([]);
      expect(store.size).toBe(1);
      // A third failure of that address does reach it: the two were kept, and only those.
      const third = await evaluate(ruleSet, [failure('2026-01-05T10:01:05Z', '198.51.100.4')], store);
      expect(third.detections).toHaveLength(1);
      expect(third.detections[0].event_count).toBe(3);
    });

    it('fires once when a group reaches the threshold, with the window starting at its first event', async () => {
      const { detections } = await evaluate(bruteForce(), minuteOf('2026-01-05T10:00:00Z', 7));
      expect(detections).toHaveLength(1);
      const [detection] = detections;
      expect(detectionSchema.parse(detection)).toEqual(detection);
      expect(detection).toMatchObject({
        kind: 'correlation',
        rule: { id: 'f25b0cb0-0df5-4459-86a3-6ecc84289693', title: 'SSH brute force', level: 'medium' },
        organization: { id: '0101' },
        group_key: '{"source.ip":"203.0.113.7"}',
        window_start: '2026-01-05T10:00:00.000Z',
        // Every event of the window known when it fired, not only the five that crossed the threshold.
        event_count: 7,
        observables: [{ field: 'source.ip', value: '203.0.113.7' }],
      });
      expect(detection.fingerprint).toBe(detectionFingerprint(detection.rule.id, '0101', detection.group_key, detection.window_start));
    });

    it('adds the rest of a fired window to it across batches, then fires again for a new window', async () => {
      const ruleSet = bruteForce();
      const store = new InMemoryWindowStore();
      const first = await evaluate(ruleSet, minuteOf('2026-01-05T10:00:00Z', 5), store);
      const more = await evaluate(ruleSet, minuteOf('2026-01-05T10:01:00Z', 10), store);
      const later = await evaluate(ruleSet, minuteOf('2026-01-05T10:06:00Z', 5), store);
      expect(first.detections).toHaveLength(1);
      // The ten later events inside the window: one update of the same window (same fingerprint), not a new firing.
      expect(more).toMatchObject({ suppressed: 0, windowAdditions: 10 });
      expect(more.detections).toHaveLength(1);
      expect(more.detections[0]).toMatchObject({ window_update: true, fingerprint: first.detections[0].fingerprint, event_count: 10 });
      expect(detectionSchema.parse(more.detections[0])).toEqual(more.detections[0]);
      expect(later.detections.map((d) => d.window_start)).toEqual(['2026-01-05T10:06:00.000Z']);
    });

    it('does not fire twice for a redelivered batch', async () => {
      const ruleSet = bruteForce();
      const store = new InMemoryWindowStore();
      const batch = minuteOf('2026-01-05T10:00:00Z', 5);
      expect((await evaluate(ruleSet, batch, store)).detections).toHaveLength(1);
      expect((await evaluate(ruleSet, batch, store)).detections).toHaveLength(0);
    });

    it('finds the same window whatever order and batching the events arrive in', async () => {
      const events = minuteOf('2026-01-05T10:00:00Z', 5);
      const inOrder = await evaluate(bruteForce(), events);
      const ruleSet = bruteForce();
      const store = new InMemoryWindowStore();
      await evaluate(ruleSet, [events[4], events[2]], store);
      const shuffled = await evaluate(ruleSet, [events[3], events[0], events[1]], store);
      expect(shuffled.detections.map((d) => d.fingerprint)).toEqual(inOrder.detections.map((d) => d.fingerprint));
    });

    it('reports events older than the allowed lateness instead of counting them', async () => {
      const ruleSet = bruteForce(2);
      const store = new InMemoryWindowStore();
      await evaluate(ruleSet, [failure('2026-01-05T10:30:00Z')], store);
      // More than the default 15 minutes behind the group's newest event.
      const late = failure('2026-01-05T10:14:00Z');
      const result = await evaluate(ruleSet, [late], store);
      expect(result).toMatchObject({
        late: 1,
        lateEvents: [{ ruleId: 'f25b0cb0-0df5-4459-86a3-6ecc84289693', eventId: late.event.id, timestamp: '2026-01-05T10:14:00.000Z' }],
      });
      expect([...result.lateEventIds]).toEqual([late.event.id]);
      expect(result.detections).toEqual([]);
    });

    it('puts late events on the alert of a window that fired, as a window update that counts no event', async () => {
      const ruleSet = bruteForce(2);
      const store = new InMemoryWindowStore();
      const fired = await evaluate(ruleSet, [failure('2026-01-05T10:30:00Z'), failure('2026-01-05T10:30:10Z')], store);
      const late = failure('2026-01-05T10:00:00Z');
      const result = await evaluate(ruleSet, [late], store);
      expect(result.detections).toHaveLength(1);
      expect(result.detections[0]).toMatchObject({
        fingerprint: fired.detections[0].fingerprint,
        window_update: true,
        event_count: 0,
        event_ids: [],
        late_event_count: 1,
        late_event_ids: [late.event.id],
        // Seen-times stay at the window's start: a late event does not widen the alert.
        first_seen: '2026-01-05T10:30:00.000Z',
        last_seen: '2026-01-05T10:30:00.000Z',
      });
      expect(detectionSchema.parse(result.detections[0])).toEqual(result.detections[0]);
      // A redelivery of the late batch is the same contribution again (folded once by alerting).
      expect((await evaluate(ruleSet, [late], store)).detections).toEqual(result.detections);
    });

    it('allows each source its own lateness: the member first, then the dataset, then the default', async () => {
      const options = (latenessByMember: [string, number][], latenessByDataset: [string, number][]) =>
        compileOrThrow(bruteForceText(2), {
          allowedLatenessMs: 60_000,
          latenessByMember: new Map(latenessByMember),
          latenessByDataset: new Map(latenessByDataset),
        });
      const lateAfter = async (ruleSet: RuleSet, member: string) => {
        const store = new InMemoryWindowStore();
        await evaluate(ruleSet, [failure('2026-01-05T10:30:00Z', undefined, member)], store);
        return (await evaluate(ruleSet, [failure('2026-01-05T10:20:00Z', undefined, member)], store)).late;
      };
      // Ten minutes behind: late by the 1-minute default, in time for a 30-minute dataset or member setting.
      expect(await lateAfter(options([], []), '0101')).toBe(1);
      expect(await lateAfter(options([], [['linux.sshd', 30 * 60_000]]), '0101')).toBe(0);
      expect(await lateAfter(options([['0101', 30 * 60_000]], []), '0101')).toBe(0);
      expect(await lateAfter(options([['0101', 30 * 60_000]], []), '0147')).toBe(1);
      // The member's own setting wins over its dataset's.
      expect(await lateAfter(options([['0101', 60_000]], [['linux.sshd', 30 * 60_000]]), '0101')).toBe(1);
    });

    it('still counts out-of-order events within the allowed lateness', async () => {
      const ruleSet = bruteForce(2);
      const store = new InMemoryWindowStore();
      await evaluate(ruleSet, [failure('2026-01-05T10:30:00Z')], store);
      const result = await evaluate(ruleSet, [failure('2026-01-05T10:27:00Z')], store);
      expect(result.detections.map((d) => d.window_start)).toEqual(['2026-01-05T10:27:00.000Z']);
    });

    it('counts each member separately', async () => {
      const events = [
        ...minuteOf('2026-01-05T10:00:00Z', 3).map((e) => ({ ...e, organization: { id: '0101' } })),
        ...minuteOf('2026-01-05T10:00:00Z', 3).map((e) => ({ ...e, event: { ...e.event, id: `${e.event.id}-b` }, organization: { id: '0147' } })),
      ];
      expect((await evaluate(bruteForce(), events)).detections).toEqual([]);
    });

    it('counts across members for a cross-member rule, and gives the detection to the shared SOC', async () => {
      const events = ['0101', '0147', '0151', '0153', '0155'].map((member, i) => failure(`2026-01-05T10:00:0${i}Z`, '203.0.113.7', member));
      const { detections } = await evaluate(bruteForce(5, 'cross_member: true\n'), events);
      expect(detections.map((d) => d.organization.id)).toEqual([crossMemberOrganizationId]);
    });

    it('counts distinct values for value_count and shows them', async () => {
      const spray = compileOrThrow(`title: Spray
id: 2faccf69-7266-4d2b-a669-a1ab1a6eb051
level: high
correlation:
    type: value_count
    rules: [ssh_failed]
    group-by: [source.ip]
    timespan: 10m
    condition: { field: user.name, gte: 3 }
---
title: SSH failure
name: ssh_failed
logsource: { product: linux, service: sshd }
detection:
    selection: { event.outcome: failure }
    condition: selection
`);
      const same = await evaluate(
        spray,
        ['anna', 'anna', 'bent', 'bent'].map((u, i) => failure(`2026-01-05T10:00:0${i}Z`, '192.0.2.1', '0101', u)),
      );
      expect(same.detections).toEqual([]);
      const many = await evaluate(
        spray,
        ['anna', 'bent', 'carl'].map((u, i) => failure(`2026-01-05T10:00:0${i}Z`, '192.0.2.1', '0101', u)),
      );
      expect(many.detections[0].observables).toEqual([
        { field: 'source.ip', value: '192.0.2.1' },
        { field: 'user.name', value: 'anna' },
        { field: 'user.name', value: 'bent' },
        { field: 'user.name', value: 'carl' },
      ]);
    });

    it('correlates different log sources through aliases (temporal)', async () => {
      const ruleSet = compileOrThrow(`title: Error then connection
id: 7c9c3d4e-0000-4000-8000-000000000001
level: high
correlation:
    type: temporal
    rules: [internal_error, new_connection]
    group-by: [internal_ip]
    timespan: 10s
    aliases:
        internal_ip:
            internal_error: destination.ip
            new_connection: src_ip
---
title: Internal error
name: internal_error
logsource: { category: webserver }
detection:
    selection: { sc-status: 500 }
    condition: selection
---
title: New connection
name: new_connection
logsource: { category: firewall }
detection:
    selection: { event.type: allowed }
    condition: selection
`);
      const error = ecsEvent({
        '@timestamp': '2026-01-05T10:00:00Z',
        event: { dataset: 'nginx.access' },
        http: { response: { status_code: 500 } },
        destination: { ip: '10.0.0.5' },
      });
      const connection = (ip: string) =>
        ecsEvent({ '@timestamp': '2026-01-05T10:00:05Z', event: { dataset: 'firewall.traffic', type: ['allowed'] }, source: { ip } });
      expect((await evaluate(ruleSet, [error, connection('10.0.0.6')])).detections).toEqual([]);
      expect((await evaluate(ruleSet, [error, connection('10.0.0.5')])).detections.map((d) => d.group_key)).toEqual(['{"internal_ip":"10.0.0.5"}']);
    });

    it('carries a temporal_ordered sequence across batches', async () => {
      const ruleSet = compileOrThrow(`title: Failure then success
id: cee7f7b0-ec8b-4c51-8625-8adcf10b5596
level: low
correlation:
    type: temporal_ordered
    rules: [failed, succeeded]
    group-by: [source.ip]
    timespan: 10m
---
title: Failed
name: failed
logsource: { product: linux, service: sshd }
detection:
    selection: { event.outcome: failure }
    condition: selection
---
title: Succeeded
name: succeeded
logsource: { product: linux, service: sshd }
detection:
    selection: { event.outcome: success }
    condition: selection
`);
      const store = new InMemoryWindowStore();
      await evaluate(ruleSet, [failure('2026-01-05T10:00:00Z')], store);
      const success = ecsEvent({
        '@timestamp': '2026-01-05T10:05:00Z',
        organization: { id: '0101' },
        event: { dataset: 'linux.sshd', outcome: 'success' },
        source: { ip: '203.0.113.7' },
      });
      const { detections } = await evaluate(ruleSet, [success], store);
      expect(detections.map((d) => [d.window_start, d.event_count])).toEqual([['2026-01-05T10:00:00.000Z', 2]]);
    });
  });
});
