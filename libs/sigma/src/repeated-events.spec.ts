import type { SocEvent } from '@soc/contracts';
import { InMemoryWindowStore } from './in-memory-window-store';
import { eventIdOfEntry, repeatCountOf, repeatedEntryId } from './repeated-events';
import { compileOrThrow, ecsEvent, evaluateAndMark } from './testing/rules';

const now = new Date('2026-01-05T12:00:00.000Z');

const correlation = (type: 'event_count' | 'value_count', condition: string, maxEntriesPerGroup?: number) =>
  compileOrThrow(
    `title: Repeated failures
id: 00000000-0000-4000-8000-0000000000aa
level: medium
correlation:
    type: ${type}
    rules: [ssh_failed]
    group-by: [source.ip]
    timespan: 10m
    condition:
${condition}
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
`,
    maxEntriesPerGroup === undefined ? {} : { maxEntriesPerGroup },
  );

const failures = (repeatCount: number | undefined, user = 'root'): SocEvent =>
  ecsEvent({
    '@timestamp': '2026-01-05T10:00:00Z',
    organization: { id: '0101' },
    event: { dataset: 'linux.sshd', outcome: 'failure' },
    source: { ip: '203.0.113.7' },
    user: { name: user },
    ...(repeatCount === undefined ? {} : { log: { repeat_count: repeatCount } }),
  });

describe('events that stand for repeated log lines (log.repeat_count)', () => {
  it('counts `message repeated 5 times` as five events in an event_count correlation, naming the one event', async () => {
    const event = failures(5);
    const { detections } = await correlation('event_count', '        gte: 5').evaluate([event], new InMemoryWindowStore(), { now });
    expect(detections).toHaveLength(1);
    expect(detections[0]).toMatchObject({ event_count: 5, event_ids: [event.event?.id] });
  });

  it('stays below the threshold when the repetitions do', async () => {
    const { detections } = await correlation('event_count', '        gte: 5').evaluate([failures(4)], new InMemoryWindowStore(), { now });
    expect(detections).toEqual([]);
  });

  it('adds a redelivered repeated event once', async () => {
    const rules = correlation('event_count', '        gte: 5');
    const store = new InMemoryWindowStore();
    const event = failures(3);
    await evaluateAndMark(rules, [event], store, { now });
    const { detections } = await evaluateAndMark(rules, [event], store, { now });
    expect(detections).toEqual([]);
    const { detections: withOneMore } = await evaluateAndMark(rules, [event, failures(undefined), failures(undefined)], store, { now });
    expect(withOneMore).toHaveLength(1);
    expect(withOneMore[0].event_count).toBe(5);
  });

  it('does not add distinct values in a value_count correlation', async () => {
    const { detections } = await correlation('value_count', '        field: user.name\n        gte: 2').evaluate(
      [failures(9, 'root')],
      new InMemoryWindowStore(),
      { now },
    );
    expect(detections).toEqual([]);
  });

  it('caps an absurd repeat count at the group entry limit', async () => {
    const { detections } = await correlation('event_count', '        gte: 5', 50).evaluate([failures(999_999_999)], new InMemoryWindowStore(), { now });
    expect(detections).toHaveLength(1);
    expect(detections[0].event_count).toBe(50);
  });

  it('reads only integer counts of at least 2, and maps repetition ids back to their event', () => {
    expect(repeatCountOf(failures(undefined), 100)).toBe(1);
    expect(repeatCountOf(ecsEvent({ log: { repeat_count: '7' } }), 100)).toBe(1);
    expect(repeatCountOf(ecsEvent({ log: { repeat_count: 2.5 } }), 100)).toBe(1);
    expect(repeatCountOf(failures(7), 100)).toBe(7);
    expect(eventIdOfEntry(repeatedEntryId('abc', 3))).toBe('abc');
    expect(eventIdOfEntry('abc')).toBe('abc');
  });
});
