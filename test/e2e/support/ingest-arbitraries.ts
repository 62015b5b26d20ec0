import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { MappingProperty, MappingTypeMapping } from '@elastic/elasticsearch/lib/api/types';
import { eventMappings } from '@soc/storage';

/**
 * fast-check arbitraries for what reaches `POST /v1/events`: real-looking ECS events and what an
 * attacker or a broken forwarder sends instead. A request is generated as a readable *spec*
 * (records, format, encoding, headers) and turned into bytes by `requestOf`, so a shrunk
 * counterexample prints as a small description, not as megabytes of bytes.
 */

/**
 * Days the valid events fall on: the three days before today (UTC), inside any sane event-time
 * window whenever the tests run, and a bounded set, so a run creates a bounded number of indices.
 */
const eventDays = [3, 2, 1].map((back) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10));
/** Timestamps a forwarder should not send but might (finding 3: one index per date of any year). */
export const extremeTimestamps = ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z', '2026-11-29T10:00:00.123456789+14:00'];

/** A mapped leaf field of the events index and its Elasticsearch type, read from the mapping itself. */
export interface MappedField {
  path: string[];
  type: string;
}

export function mappedLeafFields(mapping: MappingTypeMapping = eventMappings): MappedField[] {
  const fields: MappedField[] = [];
  const walk = (properties: Record<string, MappingProperty>, prefix: string[]) => {
    for (const [name, property] of Object.entries(properties)) {
      const path = [...prefix, ...name.split('.')];
      const nested = (property as { properties?: Record<string, MappingProperty> }).properties;
      if (nested) walk(nested, path);
      else fields.push({ path, type: String((property as { type?: string }).type ?? 'object') });
    }
  };
  walk(mapping.properties ?? {}, []);
  return fields;
}

/** The parent objects of mapped fields (`event`, `http.response`, ...): a scalar there is a wrong type too. */
export function mappedObjectPaths(mapping: MappingTypeMapping = eventMappings): string[][] {
  const paths: string[][] = [];
  const walk = (properties: Record<string, MappingProperty>, prefix: string[]) => {
    for (const [name, property] of Object.entries(properties)) {
      const nested = (property as { properties?: Record<string, MappingProperty> }).properties;
      if (nested) {
        paths.push([...prefix, name]);
        walk(nested, [...prefix, name]);
      }
    }
  };
  walk(mapping.properties ?? {}, []);
  return paths;
}

/** Values Elasticsearch cannot store in a field of this type (or that only a lenient reader accepts). */
function wrongValuesFor(type: string): unknown[] {
  const objectish = [{}, { nested: 'object' }, [{ a: 1 }]];
  switch (type) {
    case 'integer':
    case 'long':
      return ['abc', '1e400', 1e40, -1e40, 3.5, true, ...objectish];
    case 'ip':
      return ['not-an-ip', '999.1.1.1', 12345, '::g', ...objectish];
    case 'date':
      return ['yesterday', '2026-13-45T99:00:00Z', -1e20, '', ...objectish];
    case 'flattened':
      return ['a string', 42, [1, [2, [3]]], deepObject(25)];
    default: // keyword, text
      return [...objectish, [[['x']]]];
  }
}

function deepObject(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 'x' };
  for (let i = 0; i < depth; i++) value = { d: value };
  return value;
}

/** A deep copy as the wire would deliver it: plain objects of this realm (fast-check's records have null prototypes). */
export function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** How one field path is spelled in JSON: nested, fully dotted, or dotted from some level on. */
export type Spelling = { split: number };

/** Writes `value` at `path` into `target`, spelled nested up to `split` levels and dotted after. */
export function writeSpelled(target: Record<string, unknown>, path: string[], value: unknown, spelling: Spelling): void {
  const split = Math.min(Math.max(spelling.split, 0), path.length - 1);
  let node = target;
  for (const segment of path.slice(0, split)) {
    const next = node[segment];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  }
  node[path.slice(split).join('.')] = value;
}

const ipv4 = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map((p) => p.join('.'));
const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/);

/** A valid ECS event as the parsers or a Beats/Logstash forwarder produce it. */
export const ecsEvent: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      '@timestamp': fc
        .tuple(fc.constantFrom(...eventDays), fc.integer({ min: 0, max: 86_399_999 }))
        .map(([day, ms]) => new Date(Date.parse(`${day}T00:00:00Z`) + ms).toISOString()),
      event: fc.record(
        {
          dataset: fc.constantFrom('linux.sshd', 'apache.access', 'windows.security', 'fortinet.firewall'),
          category: fc.array(fc.constantFrom('authentication', 'network', 'web', 'process'), { maxLength: 3 }),
          type: fc.array(fc.constantFrom('start', 'denied', 'connection', 'access'), { maxLength: 2 }),
          outcome: fc.constantFrom('success', 'failure', 'unknown'),
          action: word,
          severity: fc.integer({ min: 0, max: 100 }),
        },
        { requiredKeys: ['dataset'] },
      ),
      source: fc.record({ ip: ipv4, port: fc.integer({ min: 0, max: 65535 }) }, { requiredKeys: [] }),
      destination: fc.record({ ip: ipv4, port: fc.integer({ min: 0, max: 65535 }), domain: word }, { requiredKeys: [] }),
      user: fc.record({ name: word, domain: word }, { requiredKeys: [] }),
      host: fc.record({ name: word.map((w) => `${w}.kommune.dk`), ip: fc.array(ipv4, { maxLength: 3 }) }, { requiredKeys: [] }),
      http: fc.record({
        request: fc.record({ method: fc.constantFrom('GET', 'POST') }),
        response: fc.record({ status_code: fc.integer({ min: 100, max: 599 }) }),
      }),
      message: fc.string({ unit: 'grapheme', maxLength: 120 }),
      labels: fc.dictionary(word, fc.string({ maxLength: 20 }), { maxKeys: 3 }),
      tags: fc.array(word, { maxLength: 3 }),
    },
    { requiredKeys: ['event'] },
  )
  .map((event) => event as Record<string, unknown>);

/** A fully valid event, some of whose fields are re-spelled dotted (`"source.ip": ...`), mixed with nested ones. */
export const dottedEcsEvent = fc.tuple(ecsEvent, fc.array(fc.nat(), { minLength: 1, maxLength: 4 })).map(([event, picks]) => {
  const leaves = leafPaths(event);
  const out = jsonClone(event);
  for (const pick of picks) {
    if (leaves.length === 0) break;
    const path = leaves[pick % leaves.length];
    if (path.length < 2) continue;
    const value = remove(out, path);
    if (value !== undefined) writeSpelled(out, path, value, { split: pick % path.length });
  }
  return out;
});

function leafPaths(value: Record<string, unknown>, prefix: string[] = []): string[][] {
  return Object.entries(value).flatMap(([key, child]) =>
    typeof child === 'object' && child !== null && !Array.isArray(child) && Object.keys(child).length > 0
      ? leafPaths(child as Record<string, unknown>, [...prefix, key])
      : [[...prefix, key]],
  );
}

function remove(target: Record<string, unknown>, path: string[]): unknown {
  let node: unknown = target;
  for (const segment of path.slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[segment];
  if (typeof node !== 'object' || node === null) return undefined;
  const last = path[path.length - 1];
  const value = (node as Record<string, unknown>)[last];
  delete (node as Record<string, unknown>)[last];
  return value;
}

/** The member the attacker claims to be; no event may ever be stored under it. */
export const victimMember = '0461';
/** Fields the collector sets itself: a payload's spelling of any of them must never survive. */
export const stampedPaths = [
  ['organization', 'id'],
  ['organization', 'name'],
  ['event', 'id'],
  ['event', 'ingested'],
];

/** A valid event that also claims another member's identity or the collector's own fields, in any spelling. */
export const forgedEvent = fc
  .tuple(
    ecsEvent,
    fc.array(
      fc.tuple(
        fc.constantFrom(...stampedPaths),
        fc.nat(2),
        fc.constantFrom<unknown>(victimMember, 'forged-id', '2020-01-01T00:00:00Z', [victimMember], { id: victimMember }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([event, forgeries]) => {
    const out = jsonClone(event);
    for (const [path, split, value] of forgeries) writeSpelled(out, path, value, { split });
    return out;
  });

/** A valid event with one mapped field (or its parent object) given a type Elasticsearch cannot index. */
export const wronglyTypedEvent = fc
  .tuple(ecsEvent, fc.constantFrom(...mappedLeafFields()), fc.nat(), fc.nat(3), fc.boolean(), fc.constantFrom(...mappedObjectPaths()))
  .map(([event, field, valuePick, split, scalarParent, parent]) => {
    const out = jsonClone(event);
    if (scalarParent && valuePick % 4 === 0) {
      writeSpelled(out, parent, ['scalar', 7, true][valuePick % 3], { split: 0 });
    } else {
      const values = wrongValuesFor(field.type);
      writeSpelled(out, field.path, values[valuePick % values.length], { split });
    }
    return out;
  });

/** One record of a request body, described (the property builds its text). */
export type RecordSpec =
  | { kind: 'event'; value: unknown }
  | { kind: 'deep'; depth: number; under: string }
  | { kind: 'huge'; bytes: number; field: string }
  | { kind: 'timestamp'; value: unknown }
  | { kind: 'junk'; text: string }
  | { kind: 'blank'; text: string };

/** Records a forwarder could send in good faith or as a subtle attack: JSON events the collector may accept. */
const eventRecordSpec: fc.Arbitrary<RecordSpec> = fc.oneof(
  { weight: 6, arbitrary: ecsEvent.map((value) => ({ kind: 'event' as const, value })) },
  { weight: 3, arbitrary: dottedEcsEvent.map((value) => ({ kind: 'event' as const, value })) },
  { weight: 3, arbitrary: forgedEvent.map((value) => ({ kind: 'event' as const, value })) },
  { weight: 3, arbitrary: wronglyTypedEvent.map((value) => ({ kind: 'event' as const, value })) },
);

/** Any record, including the ones that break a body: junk lines, deep nesting, huge strings. */
/** Records that attack the store rather than the parser: deep nesting, huge values, any year. */
const hostileRecordSpec: fc.Arbitrary<RecordSpec> = fc.oneof(
  fc.record({
    kind: fc.constant('deep' as const),
    depth: fc.constantFrom(21, 1_000, 10_000, 50_000),
    under: fc.constantFrom('labels', 'winlog.event_data', 'unmapped', 'event'),
  }),
  fc.record({
    kind: fc.constant('huge' as const),
    bytes: fc.constantFrom(2_000, 40_000, 300_000),
    field: fc.constantFrom('message', 'user.name', 'url.original', 'labels.big', 'unmapped'),
  }),
  fc.constantFrom(...extremeTimestamps, 'now', 12345, null).map((value) => ({ kind: 'timestamp' as const, value })),
);

const recordSpec: fc.Arbitrary<RecordSpec> = fc.oneof(
  { weight: 15, arbitrary: eventRecordSpec },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deep' as const),
      depth: fc.constantFrom(5, 21, 100, 1_000, 10_000),
      under: fc.constantFrom('labels', 'winlog.event_data', 'unmapped', 'event'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('huge' as const),
      bytes: fc.constantFrom(2_000, 40_000, 300_000),
      field: fc.constantFrom('message', 'user.name', 'url.original', 'labels.big', 'unmapped'),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(...extremeTimestamps, 'now', 12345, null, '2026-11-29').map((value) => ({ kind: 'timestamp' as const, value })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'event' as const, value })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.constantFrom(
          '{',
          '{"a":',
          '}{',
          '[1,2',
          'null',
          '"just a string"',
          '{"__proto__":{"organization":{"id":"0461"}}}',
          '{"constructor":{"prototype":{"x":1}}}',
          '\u0000\u0000',
          '\ufeff{"message":"bom"}',
        ),
      )
      .map((text) => ({ kind: 'junk' as const, text })),
  },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '\t', '\r').map((text) => ({ kind: 'blank' as const, text })) },
);

export interface RequestSpec {
  records: RecordSpec[];
  /** Extra copies of the first record, for bodies larger than one stream batch (500 events). */
  repeat: number;
  format: 'ndjson' | 'ndjson-crlf' | 'array' | 'single';
  /** How the text becomes bytes: UTF-8, Latin-1, or UTF-8 with invalid byte sequences spliced in. */
  bytes: 'utf8' | 'latin1' | 'invalid-utf8';
  encoding: 'plain' | 'gzip' | 'gzip-header-only' | 'claims-gzip' | 'deflate';
  contentType: string | null;
}

export const requestSpec: fc.Arbitrary<RequestSpec> = fc.record({
  // A third of the bodies hold only event records, so that many are accepted and followed to the
  // index (one bad record refuses a whole body); a third mix in everything else.
  // A third holds one hostile record among valid events, so that it is not hidden by a line that is refused anyway.
  records: fc.oneof(
    fc.array(eventRecordSpec, { minLength: 1, maxLength: 12 }),
    fc.array(recordSpec, { minLength: 1, maxLength: 12 }),
    fc.tuple(hostileRecordSpec, fc.array(eventRecordSpec, { maxLength: 3 })).map(([hostile, events]) => [hostile, ...events]),
  ),
  repeat: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(50, 600) }),
  format: fc.constantFrom('ndjson', 'ndjson', 'ndjson-crlf', 'array', 'single'),
  bytes: fc.oneof(
    { weight: 8, arbitrary: fc.constant('utf8' as const) },
    { weight: 1, arbitrary: fc.constantFrom('latin1' as const, 'invalid-utf8' as const) },
  ),
  encoding: fc.oneof(
    { weight: 6, arbitrary: fc.constant('plain' as const) },
    { weight: 3, arbitrary: fc.constant('gzip' as const) },
    { weight: 1, arbitrary: fc.constantFrom('gzip-header-only' as const, 'claims-gzip' as const, 'deflate' as const) },
  ),
  contentType: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('application/x-ndjson', 'application/json') },
    {
      weight: 2,
      arbitrary: fc.constantFrom<string | null>(
        'text/plain',
        'application/json; charset=iso-8859-1',
        'application/octet-stream',
        'multipart/form-data; boundary=x',
        'application/xml',
        null,
        '',
      ),
    },
  ),
});

/** The text of one record. */
export function recordText(record: RecordSpec): string {
  switch (record.kind) {
    case 'event':
      return JSON.stringify(record.value) ?? 'null';
    case 'deep': {
      const nested = `${'{"d":'.repeat(record.depth)}"leaf"${'}'.repeat(record.depth)}`;
      const [head, ...rest] = record.under.split('.');
      const inner = rest.length > 0 ? `{${JSON.stringify(rest.join('.'))}:${nested}}` : nested;
      return `{"@timestamp":"2026-11-29T12:00:00Z","message":"deep","${head}":${inner}}`;
    }
    case 'huge': {
      const event: Record<string, unknown> = { '@timestamp': '2026-11-29T12:00:00Z', event: { dataset: 'fuzz.huge' } };
      writeSpelled(event, record.field.split('.'), 'Å'.repeat(Math.floor(record.bytes / 2)), { split: 9 });
      return JSON.stringify(event);
    }
    case 'timestamp':
      return JSON.stringify({ '@timestamp': record.value, message: 'time', event: { dataset: 'fuzz.time' } });
    case 'junk':
    case 'blank':
      return record.text;
  }
}

export interface BuiltRequest {
  body: Buffer;
  headers: Record<string, string>;
}

/** Turns a request spec into the bytes and headers a forwarder would send. */
export function requestOf(spec: RequestSpec, apiKey: string): BuiltRequest {
  const texts = spec.records.map(recordText);
  for (let i = 0; i < spec.repeat; i++) texts.push(texts[0]);
  let text: string;
  if (spec.format === 'array') text = `[${texts.filter((t) => t.trim() !== '').join(',')}]`;
  else if (spec.format === 'single') text = texts[0];
  else text = texts.join(spec.format === 'ndjson-crlf' ? '\r\n' : '\n');

  let body: Buffer = spec.bytes === 'latin1' ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
  if (spec.bytes === 'invalid-utf8') body = spliceInvalidUtf8(body);

  const headers: Record<string, string> = { authorization: `ApiKey ${apiKey}` };
  if (spec.contentType !== null) headers['content-type'] = spec.contentType;
  switch (spec.encoding) {
    case 'gzip':
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
      break;
    case 'gzip-header-only':
      body = gzipSync(body).subarray(0, 12);
      headers['content-encoding'] = 'gzip';
      break;
    case 'claims-gzip':
      headers['content-encoding'] = 'gzip';
      break;
    case 'deflate':
      headers['content-encoding'] = 'deflate';
      break;
    case 'plain':
      break;
  }
  return { body, headers };
}

/** Invalid UTF-8: a lone continuation byte, an overlong NUL, a truncated 3-byte sequence, 0xFF. */
function spliceInvalidUtf8(body: Buffer): Buffer {
  const bad = [Buffer.from([0x80]), Buffer.from([0xc0, 0x80]), Buffer.from([0xe2, 0x82]), Buffer.from([0xff])];
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < bad.length; i++) {
    // Inside the text (between a quote pair when there is one): where a forwarder's bad bytes land.
    const at = Math.min(body.length, from + Math.max(1, Math.floor((body.length - from) / (bad.length - i + 1))));
    parts.push(body.subarray(from, at), bad[i]);
    from = at;
  }
  parts.push(body.subarray(from));
  return Buffer.concat(parts);
}
