import { indexedEventFields, type FieldProblem } from '@soc/contracts';

/** Bounds on one event, checked before anything else looks at it (docs/INGEST.md). */
export interface EventLimits {
  /** Nesting levels of objects and arrays; the event itself is level 1. */
  maxDepth: number;
  /** Keys, counted over every object of the event at every level. */
  maxFields: number;
  /** UTF-8 bytes of the event's keys and values as JSON (quotes and escapes aside). */
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
export function canonicaliseEvent(value: unknown, limits: EventLimits, flattened: ReadonlySet<string> = flattenedEventFields): CanonicalResult {
  if (!isPlainObject(value)) return { ok: false, problems: [{ path: '(root)', message: 'an event must be a JSON object' }] };
  const walk = new CanonicalWalk(limits, flattened);
  try {
    const event = walk.object(value, '', 1);
    return { ok: true, event };
  } catch (error) {
    if (error instanceof ShapeProblem) return { ok: false, problems: [{ path: error.path || '(root)', message: error.message }] };
    throw error;
  }
}

const flattenedEventFields: ReadonlySet<string> = new Set(
  Object.entries(indexedEventFields)
    .filter(([, field]) => field.type === 'flattened')
    .map(([path]) => path),
);

class CanonicalWalk {
  private fields = 0;
  private bytes = 2;

  constructor(
    private readonly limits: EventLimits,
    private readonly flattened: ReadonlySet<string>,
  ) {}

  object(source: Json, path: string, depth: number): Json {
    this.enter(path, depth);
    if (this.flattened.has(path)) {
      this.bound(source, path, depth);
      return source;
    }
    let target: Json | undefined;
    const keys = Object.keys(source);
    for (const key of keys) {
      if (key.indexOf('.') >= 0) {
        target = {};
        break;
      }
    }
    if (target === undefined) {
      // No dotted key at this level: canonicalise the values in place.
      for (const key of keys) {
        this.key(key, path);
        const inner = source[key];
        const canonical = this.value(inner, join(path, key), depth);
        if (canonical !== inner) setOwn(source, key, canonical);
      }
      return source;
    }
    for (const key of keys) {
      const segments = this.reachIntoFlattened(path, this.key(key, path));
      if (depth + segments.length - 1 > this.limits.maxDepth) {
        throw new ShapeProblem(join(path, key), `nested deeper than ${this.limits.maxDepth} levels (limit EVENT_MAX_DEPTH)`);
      }
      let parent = target;
      let parentPath = path;
      for (let i = 0; i < segments.length - 1; i++) {
        parentPath = join(parentPath, segments[i]);
        const existing = own(parent, segments[i]);
        if (existing === undefined) {
          const created: Json = {};
          setOwn(parent, segments[i], created);
          parent = created;
        } else if (isPlainObject(existing)) {
          parent = existing;
        } else {
          throw new ShapeProblem(parentPath, 'given both as a value and as an object');
        }
      }
      const leaf = segments[segments.length - 1];
      const leafPath = join(parentPath, leaf);
      const canonical = this.value(source[key], leafPath, depth + segments.length - 1);
      merge(parent, leaf, canonical, leafPath);
    }
    return target;
  }

  /** Segments of a dotted key, the part below a flattened field kept as one key. */
  private reachIntoFlattened(path: string, segments: string[]): string[] {
    let prefix = path;
    for (let i = 0; i < segments.length - 1; i++) {
      prefix = join(prefix, segments[i]);
      if (this.flattened.has(prefix)) return [...segments.slice(0, i + 1), segments.slice(i + 1).join('.')];
    }
    return segments;
  }

  /** Inside a flattened field: keys and values as they are, only counted and bounded. */
  private bound(value: unknown, path: string, depth: number): void {
    if (Array.isArray(value)) {
      this.enter(path, depth + 1);
      for (const element of value) {
        if (isPlainObject(element)) {
          this.enter(path, depth + 2);
          this.bound(element, path, depth + 2);
        } else this.bound(element, path, depth + 1);
        this.count(1);
      }
      return;
    }
    if (!isPlainObject(value)) {
      this.count(typeof value === 'string' ? utf8Length(value) + 2 : value === null || typeof value === 'boolean' ? 5 : String(value).length);
      return;
    }
    for (const key of Object.keys(value)) {
      if (++this.fields > this.limits.maxFields) {
        throw new ShapeProblem(join(path, key), `the event has more than ${this.limits.maxFields} fields (limit EVENT_MAX_FIELDS)`);
      }
      this.count(utf8Length(key) + 3);
      const inner = value[key];
      if (isPlainObject(inner)) {
        this.enter(join(path, key), depth + 1);
        this.bound(inner, join(path, key), depth + 1);
      } else this.bound(inner, join(path, key), depth);
    }
  }

  /** Validates one key, counts it, and returns its dot-separated segments. */
  private key(key: string, path: string): string[] {
    if (++this.fields > this.limits.maxFields) {
      throw new ShapeProblem(join(path, key), `the event has more than ${this.limits.maxFields} fields (limit EVENT_MAX_FIELDS)`);
    }
    this.count(utf8Length(key) + 3);
    const segments = key.split('.');
    for (const segment of segments) {
      if (segment.trim().length === 0) {
        throw new ShapeProblem(join(path, key), `"${key}" is not a field name Elasticsearch accepts (empty or blank, a leading or trailing dot, or "..")`);
      }
    }
    return segments;
  }

  private value(value: unknown, path: string, depth: number): unknown {
    if (typeof value === 'string') {
      this.count(utf8Length(value) + 2);
      return value;
    }
    if (value === null || typeof value !== 'object') {
      this.count(value === null || typeof value === 'boolean' ? 5 : String(value).length);
      return value;
    }
    if (Array.isArray(value)) {
      this.enter(path, depth + 1);
      for (let i = 0; i < value.length; i++) {
        const element: unknown = value[i];
        // Elements have the array's path: Elasticsearch indexes them as values of that field.
        const canonical = isPlainObject(element) ? this.object(element, path, depth + 2) : this.value(element, path, depth + 1);
        if (canonical !== element) value[i] = canonical;
        this.count(1);
      }
      return value;
    }
    if (!isPlainObject(value)) throw new ShapeProblem(path, 'not a JSON value');
    return this.object(value, path, depth + 1);
  }

  private enter(path: string, depth: number): void {
    if (depth > this.limits.maxDepth) {
      throw new ShapeProblem(path, `nested deeper than ${this.limits.maxDepth} levels (limit EVENT_MAX_DEPTH)`);
    }
  }

  private count(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.limits.maxBytes) {
      throw new ShapeProblem('(root)', `the event is larger than ${this.limits.maxBytes} bytes (limit EVENT_MAX_BYTES)`);
    }
  }
}

/** Puts `value` at `key` of `parent`, merging objects; a different value at one path is a conflict. */
function merge(parent: Json, key: string, value: unknown, path: string): void {
  const existing = own(parent, key);
  if (existing === undefined) {
    setOwn(parent, key, value);
    return;
  }
  if (isPlainObject(existing) && isPlainObject(value)) {
    for (const inner of Object.keys(value)) merge(existing, inner, value[inner], join(path, inner));
    return;
  }
  if (isPlainObject(existing) || isPlainObject(value)) throw new ShapeProblem(path, 'given both as a value and as an object');
  if (!sameJson(existing, value)) throw new ShapeProblem(path, 'given twice with different values');
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

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
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

// eslint-disable-next-line no-control-regex
const ascii = /^[\x00-\x7f]*$/;

function utf8Length(text: string): number {
  if (text.length < 64 ? isAscii(text) : ascii.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
