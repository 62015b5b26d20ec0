import type { InboundEvent } from '@soc/contracts';
import { parseEventBody } from './event-body';
import { stampEvent, wasRetimed } from './stamp-event';

const window = { maxPastMs: 30 * 86_400_000, maxFutureMs: 86_400_000 };
const ingested = '2026-06-15T12:00:00.000Z';
/** Parses one NDJSON line the way the collector does, then stamps it for member 0751. */
const accept = (line: string) => {
  const parsed = parseEventBody(line);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return stampEvent(parsed.events[0], '0751', ingested, window);
};

describe('parseEventBody', () => {
  it('reads NDJSON, skipping blank lines', () => {
    const result = parseEventBody('{"message":"a"}\n\n{"message":"b","source":{"ip":"192.0.2.1"}}\n');
    expect(result).toEqual({ ok: true, events: [{ message: 'a' }, { message: 'b', source: { ip: '192.0.2.1' } }], unparsed: 0 });
  });

  it('reads a JSON array', () => {
    const result = parseEventBody('[{"message":"a"},{"message":"b"}]');
    expect(result.ok && result.events.map((e) => e.message)).toEqual(['a', 'b']);
  });

  it('names the line and field of each invalid event', () => {
    const result = parseEventBody('{"message":"ok"}\n{"source":{"ip":"999.1.1.1"},"@timestamp":"yesterday"}\n');
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((p) => `${p.line} ${p.path}`).sort()).toEqual(['2 @timestamp', '2 source.ip']);
  });

  it('names a line that is not JSON', () => {
    const result = parseEventBody('{"message":"ok"}\nnot json\n');
    expect(result).toMatchObject({ ok: false, problems: [{ line: 2, path: '(line)', message: expect.stringMatching(/^invalid JSON/) }] });
  });

  it('rejects a broken JSON array', () => {
    expect(parseEventBody('[{"message":')).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/^invalid JSON array/) }] });
  });

  it('rejects an empty body', () => {
    expect(parseEventBody('  \n')).toEqual({ ok: false, problems: [{ line: 0, path: '(body)', message: 'body has no events' }] });
  });

  it('validates the canonical form: a dotted field is checked like its nested spelling', () => {
    const result = parseEventBody('{"source.ip":"999.1.1.1"}\n{"source":{"ip":"999.1.1.1"}}\n');
    expect(result.ok ? [] : result.problems.map((p) => `${p.line} ${p.path}`)).toEqual(['1 source.ip', '2 source.ip']);
  });

  it('names a field whose value Elasticsearch would refuse', () => {
    const result = parseEventBody('{"http.response.status_code":"abc"}\n{"winlog":{"channel":{}}}\n');
    expect(result).toMatchObject({
      ok: false,
      problems: [
        { line: 1, path: 'http.response.status_code', message: expect.stringContaining('must be a number of type integer') },
        { line: 2, path: 'winlog.channel', message: expect.stringContaining('must be a string, number or boolean') },
      ],
    });
  });

  it('names the path given twice with different values', () => {
    expect(parseEventBody('{"organization":{"id":"A"},"organization.id":"B"}')).toEqual({
      ok: false,
      problems: [{ line: 1, path: 'organization.id', message: 'given twice with different values' }],
    });
  });

  it('refuses an event nested deeper than the limit, naming the limit', () => {
    const deep = `{"a":${'{"x":'.repeat(1_000)}1${'}'.repeat(1_000)}}`;
    const result = parseEventBody(deep, { maxDepth: 20, maxFields: 1000, maxBytes: 1 << 20 });
    expect(result).toMatchObject({ ok: false, problems: [{ line: 1, message: expect.stringContaining('EVENT_MAX_DEPTH') }] });
  });

  it('rejects a line that is JSON but not an event', () => {
    const result = parseEventBody('42\n');
    expect(result).toMatchObject({ ok: false, problems: [{ line: 2 - 1, path: '(root)' }] });
  });
});

describe('stampEvent', () => {
  it.each([
    ['a flat dotted key', '{"organization.id":"B"}'],
    ['a dotted and a nested spelling', '{"organization.name":"B","organization":{"x":"B"}}'],
    ['an array of organizations', '{"organization":[{"id":"B"},{"id":"C"}]}'],
    ['a nested object with a dotted key', '{"organization":{"name.first":"B","id":"C"}}'],
  ])('leaves only the credential member, whatever the payload spelled: %s', (_name, line) => {
    expect(accept(line).organization).toEqual({ id: '0751' });
  });

  it.each(['{"event.id":"mine","event.ingested":"2020-01-01T00:00:00Z"}', '{"event":{"id":"mine"},"event.ingested":"2020-01-01T00:00:00Z"}'])(
    'replaces event.id and event.ingested however they were spelled: %s',
    (line) => {
      const event = accept(line);
      expect(event.event.id).not.toBe('mine');
      expect(event.event.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(event.event.ingested).toBe(ingested);
    },
  );

  it('removes the product namespace a payload claims', () => {
    const event = accept('{"soc.claimed_timestamp":"forged","soc":{"other":1},"tags":["timestamp_out_of_range","mine"]}');
    expect(event.soc).toBeUndefined();
    expect(event.tags).toEqual(['mine']);
    expect(wasRetimed(event)).toBe(false);
  });

  it('keeps an event time inside the window', () => {
    for (const timestamp of ['2026-05-16T12:00:00.000Z', '2026-06-16T12:00:00.000Z']) {
      const event = accept(`{"@timestamp":"${timestamp}"}`);
      expect([event['@timestamp'], event.soc, wasRetimed(event)]).toEqual([timestamp, undefined, false]);
    }
  });

  it.each(['0000-01-01T00:00:00Z', '2026-05-16T11:59:59.999Z', '2026-06-16T12:00:00.001Z', '9999-12-31T23:59:59Z'])(
    'places an event claiming %s at its arrival, keeping the claim and tagging it',
    (timestamp) => {
      const event = accept(`{"@timestamp":"${timestamp}","tags":["mine"]}`);
      expect(event['@timestamp']).toBe(ingested);
      expect(event.soc).toEqual({ claimed_timestamp: timestamp });
      expect(event.tags).toEqual(['mine', 'timestamp_out_of_range']);
      expect(wasRetimed(event)).toBe(true);
    },
  );

  it('refuses to stamp an event that is not canonical', () => {
    expect(() => stampEvent({ 'organization.id': 'B' } as unknown as InboundEvent, '0751', ingested, window)).toThrow(/canonical/);
  });

  it('replaces any organization the payload claims with the credential member', () => {
    const event = stampEvent({ message: 'x', organization: { id: '0101' } } as never, '0751', '2026-01-01T00:00:00.000Z');
    expect(event.organization).toEqual({ id: '0751' });
    expect(event['@timestamp']).toBe('2026-01-01T00:00:00.000Z');
    expect(event.event.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
