import { indexedEventFields, type FieldProblem } from '@soc/contracts';

/** Bounds on one event, checked before anything else looks at it (docs/INGEST.md). */
export interface EventLimits {
  /** Nesting levels of objects and arrays; the event itself is level 1. */
  maxDepth: number;
  /** Keys, counted over every object of the event at every level. */
  maxFields: number;
  /** UTF-8 bytes of the event as JSON. */
  maxBytes: number;
}

/**
 * Elasticsearch's own bounds are index.mapping.depth.limit 20 (mapped objects), a flattened
 * field's depth_limit 20, and Jackson's nesting limit 1000 for any document; no event our
 * parsers or ECS forwarders produce comes near 20 levels or 1000 keys.
 */
export const defaultEventLimits: EventLimits = { maxDepth: 20, maxFields: 1000, maxBytes: 256 * 1024 };

export type CanonicalResult = { ok: true; event: Record<string, unknown> } | { ok: false; problems: FieldProblem[] };

/** Thrown inside the walk and turned into a problem: the first one ends the walk. */
class ShapeProblem extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

/** Where a flattened field is: a tree of path segments, `true` at a flattened field. */
type FlattenedTree = Map<string, FlattenedTree | true>;

function flattenedTreeOf(paths: Iterable<string>): FlattenedTree {
  const root: FlattenedTree = new Map();
  for (const path of paths) {
    const segments = path.split('.');
    let node = root;
    segments.forEach((segment, i) => {
      if (i === segments.length - 1) {
        node.set(segment, true);
        return;
      }
      let child = node.get(segment);
      if (child === undefined || child === true) node.set(segment, (child = new Map()));
      node = child;
    });
  }
  return root;
}

const flattenedEventFields = flattenedTreeOf(
  Object.entries(indexedEventFields)
    .filter(([, field]) => field.type === 'flattened')
    .map(([path]) => path),
);

// JSON of a number is at most 24 characters (-1.2345678901234567e-300); a string character at
// most 6 (a \u escape). The walk keeps a lower and an upper bound of the event's JSON size and
// measures it exactly only when the upper bound passes the limit: a large event is rare.
const maxNumberChars = 24;
const maxCharBytes = 6;

/**
 * The one shape every inbound event is put into before it is validated or stamped. Elasticsearch
 * reads `{"a.b": 1}` and `{"a": {"b": 1}}` as the same field `a.b`, so a dotted key would slip past
 * any check or stamp that looks at the nested spelling only. Here dotted keys are expanded into
 * nested objects at every level (inside arrays too) and merged with what is already there:
 * - a path given twice with different values, or a value and an object at one path, is refused;
 * - a key Elasticsearch cannot take (empty, blank, a leading or trailing dot, `..`) is refused;
 * - depth, number of keys and size are bounded (`EventLimits`), so nothing deeper than
 *   `maxDepth` is ever walked: a 10,000-level document is refused here, not by a stack overflow
 *   later.
 * Inside a flattened field (`labels`, `winlog.event_data`) keys are left as they are, only
 * bounded: Elasticsearch stores its keys as one flat set of dotted names either way, and
 * `labels: {"a.b": "x"}` is the shape ECS labels have. A dotted key that reaches into one
 * (`"labels.a.b"`) is expanded down to it only (`labels: {"a.b": ...}`).
 * The input is not changed where it has no dotted key (no copy on the hot path); objects that do
 * are rebuilt.
 */
export function canonicaliseEvent(value: unknown, limits: EventLimits, flattened: FlattenedTree = flattenedEventFields): CanonicalResult {
  if (!isPlainObject(value)) return { ok: false, problems: [{ path: '(root)', message: 'an event must be a JSON object' }] };
  const walk = new CanonicalWalk(limits);
  try {
    const event = walk.object(value, flattened, 1);
    walk.checkSize(event);
    return { ok: true, event };
  } catch (error) {
    if (error instanceof ShapeProblem) return { ok: false, problems: [{ path: error.path || '(root)', message: error.message }] };
    throw error;
  }
}

/** The walk's position in the field tree: below a flattened field, or outside every one. */
type Place = FlattenedTree | true | undefined;

class CanonicalWalk {
  private fields = 0;
  /** At most and at least the event's JSON size, as walked so far. */
  private bytesAtLeast = 2;
  private bytesAtMost = 2;
  /** Keys from the event down to where the walk is: a path is built only for a problem. */
  private readonly path: string[] = [];

  constructor(private readonly limits: EventLimits) {}

  object(source: Json, place: Place, depth: number): Json {
    if (depth > this.limits.maxDepth) throw this.tooDeep();
    if (place === true) {
      this.bound(source, depth);
      return source;
    }
    const keys = Object.keys(source);
    let dotted = false;
    for (const key of keys) {
      this.key(key);
      if (key.indexOf('.') >= 0) dotted = true;
    }
    if (!dotted) {
      // No dotted key at this level: canonicalise the values in place.
      for (const key of keys) {
        const inner = source[key];
        this.path.push(key);
        const canonical = this.value(inner, place?.get(key), depth);
        this.path.pop();
        if (canonical !== inner) setOwn(source, key, canonical);
      }
      return source;
    }
    const target: Json = {};
    for (const key of keys) {
      const segments = this.segmentsOf(key, place);
      if (depth + segments.length - 1 > this.limits.maxDepth) {
        this.path.push(key);
        throw this.tooDeep();
      }
      let parent = target;
      let parentPlace: Place = place;
      const pathLength = this.path.length;
      for (let i = 0; i < segments.length - 1; i++) {
        this.path.push(segments[i]);
        parentPlace = parentPlace === true || parentPlace === undefined ? parentPlace : parentPlace.get(segments[i]);
        const existing = own(parent, segments[i]);
        if (existing === undefined) {
          const created: Json = {};
          setOwn(parent, segments[i], created);
          parent = created;
        } else if (isPlainObject(existing)) {
          parent = existing;
        } else {
          throw this.problem('given both as a value and as an object');
        }
      }
      const leaf = segments[segments.length - 1];
      this.path.push(leaf);
      const leafPlace = parentPlace === true || parentPlace === undefined ? parentPlace : parentPlace.get(leaf);
      const canonical = this.value(source[key], leafPlace, depth + segments.length - 1);
      this.merge(parent, leaf, canonical);
      this.path.length = pathLength;
    }
    return target;
  }

  /** Checks one key (a problem names it) and counts it. */
  private key(key: string): void {
    if (++this.fields > this.limits.maxFields) {
      this.path.push(key);
      throw this.problem(`the event has more than ${this.limits.maxFields} fields (limit EVENT_MAX_FIELDS)`);
    }
    this.countText(key.length, 3);
    if (!isAcceptedKey(key)) {
      this.path.push(key);
      throw this.problem(`"${key}" is not a field name Elasticsearch accepts (empty or blank, a leading or trailing dot, or "..")`);
    }
  }

  /** A dotted key's segments; the part below a flattened field is kept as one key. */
  private segmentsOf(key: string, place: Place): string[] {
    const segments = key.split('.');
    let node = place;
    for (let i = 0; i < segments.length - 1 && node !== undefined && node !== true; i++) {
      node = node.get(segments[i]);
      if (node === true) return [...segments.slice(0, i + 1), segments.slice(i + 1).join('.')];
    }
    return segments;
  }

  private value(value: unknown, place: Place, depth: number): unknown {
    if (typeof value === 'string') {
      this.countText(value.length, 2);
      return value;
    }
    if (value === null || typeof value !== 'object') {
      this.countScalar();
      return value;
    }
    if (Array.isArray(value)) {
      if (depth + 1 > this.limits.maxDepth) throw this.tooDeep();
      for (let i = 0; i < value.length; i++) {
        const element: unknown = value[i];
        // Elements have the array's path: Elasticsearch indexes them as values of that field.
        const canonical = isPlainObject(element) ? this.object(element, place, depth + 2) : this.value(element, place, depth + 1);
        if (canonical !== element) value[i] = canonical;
        this.countText(0, 1);
      }
      return value;
    }
    if (!isPlainObject(value)) throw this.problem('not a JSON value');
    return this.object(value, place, depth + 1);
  }

  /** Inside a flattened field: keys and values as they are, only counted and bounded. */
  private bound(value: unknown, depth: number): void {
    if (Array.isArray(value)) {
      if (depth + 1 > this.limits.maxDepth) throw this.tooDeep();
      for (const element of value) {
        if (isPlainObject(element)) {
          if (depth + 2 > this.limits.maxDepth) throw this.tooDeep();
          this.bound(element, depth + 2);
        } else this.bound(element, depth + 1);
        this.countText(0, 1);
      }
      return;
    }
    if (!isPlainObject(value)) {
      if (typeof value === 'string') this.countText(value.length, 2);
      else this.countScalar();
      return;
    }
    for (const key of Object.keys(value)) {
      if (++this.fields > this.limits.maxFields) {
        this.path.push(key);
        throw this.problem(`the event has more than ${this.limits.maxFields} fields (limit EVENT_MAX_FIELDS)`);
      }
      this.countText(key.length, 3);
      const inner = value[key];
      this.path.push(key);
      if (isPlainObject(inner)) {
        if (depth + 1 > this.limits.maxDepth) throw this.tooDeep();
        this.bound(inner, depth + 1);
      } else this.bound(inner, depth);
      this.path.pop();
    }
  }

  /** Puts `value` at `key` of `parent`, merging objects; a different value at one path is a conflict. */
  private merge(parent: Json, key: string, value: unknown): void {
    const existing = own(parent, key);
    if (existing === undefined) {
      setOwn(parent, key, value);
      return;
    }
    if (isPlainObject(existing) && isPlainObject(value)) {
      for (const inner of Object.keys(value)) {
        this.path.push(inner);
        this.merge(existing, inner, value[inner]);
        this.path.pop();
      }
      return;
    }
    if (isPlainObject(existing) || isPlainObject(value)) throw this.problem('given both as a value and as an object');
    if (!sameJson(existing, value)) throw this.problem('given twice with different values');
  }

  /** Text of `length` UTF-16 units plus `overhead` ASCII characters of JSON around it. */
  private countText(length: number, overhead: number): void {
    this.bytesAtLeast += length + overhead;
    this.bytesAtMost += length * maxCharBytes + overhead;
    if (this.bytesAtLeast > this.limits.maxBytes) throw this.tooLarge();
  }

  private countScalar(): void {
    this.bytesAtLeast += 1;
    this.bytesAtMost += maxNumberChars;
    if (this.bytesAtLeast > this.limits.maxBytes) throw this.tooLarge();
  }

  /** The exact size, only for an event the walk could not clear by its bounds. */
  checkSize(event: Json): void {
    if (this.bytesAtMost <= this.limits.maxBytes) return;
    if (Buffer.byteLength(JSON.stringify(event), 'utf8') > this.limits.maxBytes) throw this.tooLarge();
  }

  private tooDeep(): ShapeProblem {
    return this.problem(`nested deeper than ${this.limits.maxDepth} levels (limit EVENT_MAX_DEPTH)`);
  }

  private tooLarge(): ShapeProblem {
    return new ShapeProblem('(root)', `the event is larger than ${this.limits.maxBytes} bytes (limit EVENT_MAX_BYTES)`);
  }

  private problem(message: string): ShapeProblem {
    return new ShapeProblem(this.path.join('.'), message);
  }
}

/** Elasticsearch refuses a field name with an empty or blank segment: "", " ", ".a", "a.", "a..b". */
function isAcceptedKey(key: string): boolean {
  const length = key.length;
  if (length === 0) return false;
  if (key.indexOf('.') < 0) return !isBlank(key, 0, length);
  let segmentStart = 0;
  for (let i = 0; i <= length; i++) {
    if (i < length && key.charCodeAt(i) !== 46) continue;
    if (i === segmentStart || isBlank(key, segmentStart, i)) return false;
    segmentStart = i + 1;
  }
  return true;
}

function isBlank(key: string, start: number, end: number): boolean {
  const first = key.charCodeAt(start);
  // Most segments start with a letter: only one starting with a space or non-ASCII may be blank.
  if (first > 32 && first < 127) return false;
  return key.slice(start, end).trim().length === 0;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && sameJson(a[key], b[key]));
  }
  return false;
}

function isPlainObject(value: unknown): value is Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function own(target: Json, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined;
}

/** An own property even for `__proto__`, which a plain assignment would treat as the prototype. */
function setOwn(target: Json, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
