import { isWindowsJsonRecord, normaliseJsonRecord, parseLogLine, withDecodedUrl, type LogLineFormat } from '@soc/parsing';

/**
 * What a forwarder sends (docs/FORWARDERS.md): declared per key or per request
 * (`X-Log-Format`), else `auto`. `ecs` is taken as mapped; `windows-json` is one of the Windows
 * JSON shapes; the rest name a raw line format (in `text/plain` lines or a JSON `message`).
 */
export const logFormats = ['auto', 'ecs', 'windows-json', 'syslog', 'sshd', 'apache-access', 'nginx-access'] as const;
export type LogFormat = (typeof logFormats)[number];

export function isLogFormat(value: unknown): value is LogFormat {
  return typeof value === 'string' && (logFormats as readonly string[]).includes(value);
}

/** How one request's records are read. */
export interface InboundFormatContext {
  format: LogFormat;
  /**
   * Reference time for year-less timestamps: the forwarder's clock when the request gives it,
   * else arrival. `parseEventBody` reads each line of a body against the time its place in the
   * body gives it (`lineReferenceTimes`).
   */
  now: Date;
  /** IANA zone of timestamps without an offset. */
  timeZone: string;
  /** The dataset the forwarder declared: `parseLogLine`'s `dataset`, exactly as for a syslog sender. */
  dataset?: string;
}

/** Tag on an event whose raw line no parser recognised: it is kept, and counted `unparsed`. */
export const unparsedTag = 'unparsed';

type Json = Record<string, unknown>;

export interface NormalisedRecord {
  event: Json;
  /** True when the event is not the record it came from (it must be canonicalised again). */
  rebuilt: boolean;
  unparsed: boolean;
}

function lineFormatOf(format: LogFormat): LogLineFormat {
  return format === 'ecs' || format === 'windows-json' ? 'auto' : format;
}

/** The raw line a JSON record carries, when it is a line to parse (`message`, else `event.original`). */
function rawLineOf(record: Json): string | undefined {
  if (typeof record.message === 'string') return record.message;
  const event = record.event as Json | undefined;
  return typeof event?.original === 'string' ? event.original : undefined;
}

function hasDataset(record: Json): boolean {
  const event = record.event as Json | undefined;
  return event !== undefined && typeof event === 'object' && event !== null && event.dataset !== undefined;
}

function withTag(record: Json, tag: string): Json {
  const tags = record.tags;
  record.tags = Array.isArray(tags) ? (tags.includes(tag) ? tags : [...tags, tag]) : tags === undefined ? [tag] : [tags, tag];
  return record;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Copies into `target` what `source` has and `target` has not, at every level: the forwarder's
 * own fields (host, agent, log.file.path) kept beside what the parser read from the line, the
 * parser's reading winning where both have a field.
 */
function fillMissing(target: Json, source: Json): Json {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (!Object.prototype.hasOwnProperty.call(target, key)) {
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    } else if (isObject(target[key]) && isObject(value)) {
      fillMissing(target[key] as Json, value);
    }
  }
  return target;
}

/** One raw line (a `text/plain` line) → its event, or the line kept and tagged `unparsed`. */
export function eventOfRawLine(line: string, context: InboundFormatContext): NormalisedRecord {
  const parsed = parseLogLine(line, { now: context.now, timeZone: context.timeZone, format: lineFormatOf(context.format), dataset: context.dataset });
  if (parsed.ok) return { event: withDecodedUrl(parsed.event as Json) as Json, rebuilt: true, unparsed: false };
  return { event: { message: line, event: { original: line }, tags: [unparsedTag] }, rebuilt: true, unparsed: true };
}

/**
 * The raw line `normaliseInboundRecord` will parse out of this canonical record, if any: none for
 * `ecs` and Windows records, nor in `auto` for a record that names its `event.dataset`.
 */
export function lineOfRecord(record: Json, format: LogFormat): string | undefined {
  if (format === 'ecs' || format === 'windows-json') return undefined;
  if (format === 'auto' && (isWindowsJsonRecord(record) || hasDataset(record))) return undefined;
  return rawLineOf(record);
}

/**
 * One canonical JSON record → the event to admit. Windows records go through the Windows
 * normaliser, a record that is only a raw line (`message` or `event.original`, no
 * `event.dataset`) through the line parsers, exactly as the same line over syslog; anything else
 * is an ECS event already. Every web event gets `url.decoded`. A record that should have parsed
 * and did not is kept as it came, tagged and counted `unparsed`, never dropped.
 */
export function normaliseInboundRecord(record: Json, context: InboundFormatContext): NormalisedRecord {
  const { format } = context;
  if (format === 'ecs') return { event: withDecodedUrl(record) as Json, rebuilt: false, unparsed: false };
  if (format === 'windows-json' || (format === 'auto' && isWindowsJsonRecord(record))) {
    // normaliseJsonRecord passes any other record through as ECS: a declared one must be Windows.
    const windows = isWindowsJsonRecord(record) ? normaliseJsonRecord(record, { timeZone: context.timeZone }) : undefined;
    if (windows?.ok) return { event: windows.event as Json, rebuilt: true, unparsed: false };
    return { event: withTag(record, unparsedTag), rebuilt: false, unparsed: true };
  }
  const line = lineOfRecord(record, format);
  if (line === undefined) return { event: withDecodedUrl(record) as Json, rebuilt: false, unparsed: false };
  const parsed = parseLogLine(line, { now: context.now, timeZone: context.timeZone, format: lineFormatOf(format), dataset: context.dataset });
  if (!parsed.ok) return { event: withTag(withDecodedUrl(record) as Json, unparsedTag), rebuilt: false, unparsed: true };
  return { event: withDecodedUrl(fillMissing(parsed.event as Json, record)) as Json, rebuilt: true, unparsed: false };
}
