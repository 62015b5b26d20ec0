import type { FeedFormat } from './correlator-api';

/**
 * How large one part sent to `POST /v1/indicators/import` may be. The console's proxy takes
 * bodies up to 1 MiB (the correlator up to `HTTP_BODY_LIMIT_BYTES`, 10 MiB), so half of that
 * leaves room; 500 entries is what the correlator stores in one Redis transaction.
 */
export interface PartLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}
export const defaultPartLimits: PartLimits = { maxEntries: 500, maxBytes: 512 * 1024 };

/**
 * One request's body and where its entries sit in the file, so the API's rejections (`line 12: …`,
 * `objects[3].pattern (indicator--…): …`) can name the file's line or object rather than the part's.
 */
export interface FeedPart {
  readonly body: string;
  /** Data rows (CSV), indicator objects (STIX), attributes and objects (MISP), IOC entries (ThreatFox). */
  readonly entries: number;
  /** CSV: the file's line number of each of the part's lines (part line n is `lines[n - 1]`). */
  readonly lines?: readonly number[];
  /** JSON: per array path (`objects`, `Event.Attribute`, …) the file's index of each of the part's items. */
  readonly indexes?: ReadonlyArray<{ readonly path: string; readonly file: readonly number[] }>;
}

export interface FeedSplit {
  readonly parts: FeedPart[];
  /** Entries of the whole file (the sum over the parts). */
  readonly entries: number;
  /** What the splitter itself found wrong (a CSV footer that does not match the rows), worded as the API words it. */
  readonly rejections: string[];
}

const utf8 = new TextEncoder();
const bytesOf = (text: string): number => utf8.encode(text).length;

/**
 * Splits a feed file into parts the import API takes, one after the other: a CSV into runs of
 * data rows each behind the file's own banner and header; a STIX bundle into bundles of its
 * indicator objects (every version of one id in the same part), each with the bundle's identities
 * and marking definitions; a MISP event into events of its attributes and objects, each with the
 * event's own fields (organisation, tags, date); a ThreatFox export into its IOC ids (an API
 * answer into runs of `data`). A file within the limits, or one the splitter cannot read (not
 * JSON, no recognised CSV header), is sent whole, so the API says what is wrong with it.
 */
export function splitFeed(format: FeedFormat, text: string, limits: PartLimits = defaultPartLimits): FeedSplit {
  switch (format) {
    case 'csv':
      return splitCsv(text, limits);
    case 'stix':
      return splitJson(text, limits, splitStix);
    case 'misp':
      return splitJson(text, limits, splitMisp);
    case 'threatfox':
      return splitJson(text, limits, splitThreatFox);
  }
}

const whole = (text: string, entries: number): FeedSplit => ({ parts: [{ body: text, entries }], entries, rejections: [] });

/** Consecutive runs of items, each within the limits once `fixedBytes` (what every part repeats) is added; an item larger than a part goes alone. */
export function packItems<T>(items: readonly T[], sizeOf: (item: T) => number, weightOf: (item: T) => number, fixedBytes: number, limits: PartLimits): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let bytes = fixedBytes;
  let weight = 0;
  for (const item of items) {
    const size = sizeOf(item);
    const itemWeight = weightOf(item);
    if (run.length > 0 && (bytes + size > limits.maxBytes || weight + itemWeight > limits.maxEntries)) {
      runs.push(run);
      run = [];
      bytes = fixedBytes;
      weight = 0;
    }
    run.push(item);
    bytes += size;
    weight += itemWeight;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

// CSV ---------------------------------------------------------------------------------------

/** The header columns the API recognises (libs/indicators csv-blocklist-importer: Feodo Tracker, URLhaus). */
const csvLayouts = [
  ['first_seen_utc', 'dst_ip'],
  ['dateadded', 'url'],
];

function isCsvHeader(line: string): boolean {
  const columns = line.split(',').map((field) => field.trim().replace(/^"|"$/g, '').trim().toLowerCase());
  return csvLayouts.some((layout) => layout.every((column) => columns.includes(column)));
}

const isComment = (line: string): boolean => line.startsWith('#');
const isBlank = (line: string): boolean => line.trim().length === 0;

function splitCsv(text: string, limits: PartLimits): FeedSplit {
  const lines = text.split('\n');
  let dataStart = 0;
  while (dataStart < lines.length && (isBlank(lines[dataStart]!) || isComment(lines[dataStart]!))) dataStart++;
  if (dataStart === lines.length) return whole(text, 0);
  // The header is the first line that is not a comment (Feodo), or the last comment before the data (URLhaus as published).
  const headerLine = lines[dataStart]!;
  const lastComment = lines
    .slice(0, dataStart)
    .reverse()
    .find((line) => isComment(line));
  if (isCsvHeader(headerLine)) dataStart++;
  else if (lastComment === undefined || !isCsvHeader(lastComment.slice(1)))
    return whole(text, lines.slice(dataStart).filter((l) => !isBlank(l) && !isComment(l)).length);
  const preamble = lines.slice(0, dataStart);

  const rows: Array<{ line: string; number: number }> = [];
  let footer: { number: number; announced: number } | undefined;
  for (let i = dataStart; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlank(line)) continue;
    if (isComment(line)) {
      const announced = /^END\s+(\d+)\s+entries/i.exec(line.slice(1).trim());
      if (announced) footer = { number: i + 1, announced: Number(announced[1]) };
      continue;
    }
    rows.push({ line, number: i + 1 });
  }
  const preambleBytes = bytesOf(preamble.join('\n')) + 1;
  if (rows.length <= limits.maxEntries && bytesOf(text) <= limits.maxBytes) return whole(text, rows.length);

  const runs = packItems(
    rows,
    (row) => bytesOf(row.line) + 1,
    () => 1,
    preambleBytes,
    limits,
  );
  const preambleNumbers = preamble.map((_, i) => i + 1);
  const parts = runs.map((run) => ({
    body: [...preamble, ...run.map((row) => row.line)].join('\n'),
    entries: run.length,
    lines: [...preambleNumbers, ...run.map((row) => row.number)],
  }));
  // The footer stays out of the parts (each would count only its own rows against it): it is checked here.
  const rejections =
    footer !== undefined && footer.announced !== rows.length
      ? [`line ${footer.number}: footer announces ${footer.announced} entries but ${rows.length} rows were read`]
      : [];
  return { parts, entries: rows.length, rejections };
}

// JSON feeds ----------------------------------------------------------------------------------

type JsonSplitter = (document: unknown, limits: PartLimits) => Omit<FeedSplit, 'rejections'> | { entries: number; parts?: undefined };

function splitJson(text: string, limits: PartLimits, splitter: JsonSplitter): FeedSplit {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return whole(text, 0);
  }
  const split = splitter(document, limits);
  if (split.parts === undefined || split.parts.length <= 1 || (bytesOf(text) <= limits.maxBytes && split.entries <= limits.maxEntries)) {
    return whole(text, split.entries);
  }
  return { parts: split.parts, entries: split.entries, rejections: [] };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const jsonBytes = (value: unknown): number => bytesOf(JSON.stringify(value) ?? 'null') + 1;

interface Located<T = unknown> {
  readonly index: number;
  readonly value: T;
}

function splitStix(bundle: unknown, limits: PartLimits): ReturnType<JsonSplitter> {
  if (!isRecord(bundle) || bundle['type'] !== 'bundle' || !Array.isArray(bundle['objects'])) return { entries: 0 };
  const objects = bundle['objects'] as unknown[];
  // Identities name the source, marking definitions the TLP: every part needs them.
  const context: Located[] = [];
  const groups = new Map<string, Located[]>();
  objects.forEach((object, index) => {
    const type = isRecord(object) ? object['type'] : undefined;
    if (type === 'identity' || type === 'marking-definition') context.push({ index, value: object });
    else if (type === 'indicator' || !isRecord(object)) {
      // Versions of one indicator stay together: the API keeps the latest `modified` of those it is sent.
      const id = isRecord(object) && typeof object['id'] === 'string' ? object['id'] : `#${index}`;
      groups.set(id, [...(groups.get(id) ?? []), { index, value: object }]);
    }
  });
  const entries = [...groups.values()].reduce((sum, group) => sum + group.length, 0);
  const shell = { ...bundle, objects: [] };
  const fixed = jsonBytes(shell) + context.reduce((sum, item) => sum + jsonBytes(item.value), 0);
  const runs = packItems(
    [...groups.values()],
    (group) => group.reduce((sum, item) => sum + jsonBytes(item.value), 0),
    (group) => group.length,
    fixed,
    limits,
  );
  const parts = runs.map((run) => {
    const items = [...context, ...run.flat()];
    return {
      body: JSON.stringify({ ...bundle, objects: items.map((item) => item.value) }),
      entries: run.reduce((sum, group) => sum + group.length, 0),
      indexes: [{ path: 'objects', file: items.map((item) => item.index) }],
    };
  });
  return { parts, entries };
}

function splitMisp(document: unknown, limits: PartLimits): ReturnType<JsonSplitter> {
  const wrapped = isRecord(document) && isRecord(document['Event']);
  const event = wrapped ? (document as Record<string, unknown>)['Event'] : document;
  if (!isRecord(event) || typeof event['uuid'] !== 'string') return { entries: 0 };
  const root = wrapped ? 'Event' : '$';
  const attributes = event['Attribute'];
  const objects = event['Object'];
  if ((attributes !== undefined && !Array.isArray(attributes)) || (objects !== undefined && !Array.isArray(objects))) return { entries: 0 };
  type Item = Located & { readonly key: 'Attribute' | 'Object' };
  const items: Item[] = [
    ...((attributes as unknown[] | undefined) ?? []).map((value, index) => ({ key: 'Attribute' as const, index, value })),
    ...((objects as unknown[] | undefined) ?? []).map((value, index) => ({ key: 'Object' as const, index, value })),
  ];
  const shell = { ...event, Attribute: [], ...(objects === undefined ? {} : { Object: [] }) };
  const runs = packItems(
    items,
    (item) => jsonBytes(item.value),
    (item) => (item.key === 'Object' && isRecord(item.value) && Array.isArray(item.value['Attribute']) ? Math.max(1, item.value['Attribute'].length) : 1),
    jsonBytes(shell) + (wrapped ? 12 : 0),
    limits,
  );
  const parts = runs.map((run) => {
    const own = (key: Item['key']) => run.filter((item) => item.key === key);
    const partEvent = {
      ...event,
      Attribute: own('Attribute').map((item) => item.value),
      ...(objects === undefined ? {} : { Object: own('Object').map((item) => item.value) }),
    };
    return {
      body: JSON.stringify(wrapped ? { ...(document as Record<string, unknown>), Event: partEvent } : partEvent),
      entries: run.length,
      indexes: [
        { path: `${root}.Attribute`, file: own('Attribute').map((item) => item.index) },
        { path: `${root}.Object`, file: own('Object').map((item) => item.index) },
      ],
    };
  });
  return { parts, entries: items.length };
}

function splitThreatFox(document: unknown, limits: PartLimits): ReturnType<JsonSplitter> {
  if (!isRecord(document)) return { entries: 0 };
  if ('query_status' in document) {
    // An API answer: runs of `data`, the rest of the answer repeated.
    const data = document['data'];
    if (!Array.isArray(data)) return { entries: 0 };
    const items = data.map((value, index) => ({ index, value }));
    const runs = packItems(
      items,
      (item) => jsonBytes(item.value),
      () => 1,
      jsonBytes({ ...document, data: [] }),
      limits,
    );
    const parts = runs.map((run) => ({
      body: JSON.stringify({ ...document, data: run.map((item) => item.value) }),
      entries: run.length,
      indexes: [{ path: 'data', file: run.map((item) => item.index) }],
    }));
    return { parts, entries: items.length };
  }
  // The data export: an object keyed by IOC id; rejections name the id (`["123"][0]`), which a part keeps.
  const entries = Object.entries(document);
  const runs = packItems(
    entries,
    ([key, value]) => jsonBytes(key) + jsonBytes(value),
    ([, value]) => (Array.isArray(value) ? Math.max(1, value.length) : 1),
    2,
    limits,
  );
  const parts = runs.map((run) => ({ body: JSON.stringify(Object.fromEntries(run)), entries: run.length }));
  return { parts, entries: entries.length };
}

// Rejections --------------------------------------------------------------------------------

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An API rejection of a part (`line 3: …`, `objects[2].pattern (indicator--…): …`) with the
 * place in the file instead of the place in the part.
 */
export function locateRejection(part: FeedPart, message: string): string {
  if (part.lines) {
    const line = /^line (\d+)/.exec(message);
    const fileLine = line ? part.lines[Number(line[1]) - 1] : undefined;
    return fileLine === undefined ? message : `line ${fileLine}${message.slice(line![0].length)}`;
  }
  for (const { path, file } of part.indexes ?? []) {
    const at = new RegExp(`^${escapeRegExp(path)}\\[(\\d+)\\]`).exec(message);
    const fileIndex = at ? file[Number(at[1])] : undefined;
    if (fileIndex !== undefined) return `${path}[${fileIndex}]${message.slice(at![0].length)}`;
  }
  return message;
}

/** A rejection as where (the line, the object path and id) and why, as `formatImportError` writes it. */
export function rejectionParts(message: string): { where: string; why: string } {
  const located = /^(line \d+|[^\s:]+)((?: \([^)]*\))?): /.exec(message);
  if (!located) return { where: '', why: message };
  return { where: `${located[1]}${located[2]}`, why: message.slice(located[0].length) };
}

/** The format a file most likely holds, from its name and first characters; the person can change it. */
export function guessFormat(name: string, text: string): FeedFormat {
  const head = text.slice(0, 4096);
  if (/\.csv$/i.test(name) || (/^\s*[#"a-z]/i.test(head) && !/^\s*[[{]/.test(head))) return 'csv';
  if (/"type"\s*:\s*"bundle"/.test(head)) return 'stix';
  if (/"query_status"|"ioc_value"|"ioc_type"/.test(head)) return 'threatfox';
  return 'misp';
}
