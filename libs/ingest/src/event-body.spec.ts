import { parseEventBody } from './event-body';
import { stampEvent } from './stamp-event';

describe('parseEventBody', () => {
  it('reads NDJSON, skipping blank lines', () => {
    const result = parseEventBody('{"message":"a"}\n\n{"message":"b","source":{"ip":"192.0.2.1"}}\n');
    expect(result).toEqual({ ok: true, events: [{ message: 'a' }, { message: 'b', source: { ip: '192.0.2.1' } }] });
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

  it('rejects a line that is JSON but not an event', () => {
    const result = parseEventBody('42\n');
    expect(result).toMatchObject({ ok: false, problems: [{ line: 2 - 1, path: '(root)' }] });
  });
});

describe('stampEvent', () => {
  it('replaces any organization the payload claims with the credential member', () => {
    const event = stampEvent({ message: 'x', organization: { id: '0101' } } as never, '0751', '2026-01-01T00:00:00.000Z');
    expect(event.organization).toEqual({ id: '0751' });
    expect(event['@timestamp']).toBe('2026-01-01T00:00:00.000Z');
    expect(event.event.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
