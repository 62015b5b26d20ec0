import type { FieldPaths } from './field-mapping';
import type { NeedleRegistry, NeedleScanner } from './needle-scanner';

/** Reads one Sigma field from an event: the first of its ECS paths that is present. */
export class FieldReader {
  /**
   * `read`, generated for this reader's paths: each property access in it is a site of its own, which
   * sees only the objects that hold this field, so V8 keeps it fast (inline cache of a few shapes).
   * One loop shared by every field would see every shape of every event and fall back to generic
   * look-ups, and slow down every other reader with it.
   */
  readonly read: (event: object) => unknown;

  constructor(
    /** Index into the per-event caches of `MatchContext`. */
    readonly id: number,
    readonly paths: FieldPaths,
  ) {
    this.read = compileReader(paths.map((p) => p.split('.')));
  }

  /** The ECS path analysts see for this field. */
  get label(): string {
    return this.paths[0];
  }
}

/**
 * The function `read` would be as a loop over the paths' segments: per path, the segments one after
 * the other while each value is a non-null object, the first value that is neither undefined nor a
 * function (never inherited members such as `constructor`: a field a rule names is data or absent).
 * Segments come from rule files; each enters the code only as a JSON string literal.
 */
function compileReader(paths: readonly (readonly string[])[]): (event: object) => unknown {
  const lines = ['let v;'];
  for (const segments of paths) {
    let open = 0;
    lines.push('v = e;');
    segments.forEach((segment, i) => {
      if (i > 0) {
        lines.push('if (v !== null && typeof v === "object") {');
        open++;
      }
      lines.push(`v = v[${JSON.stringify(segment)}];`);
    });
    lines.push('if (v !== undefined && typeof v !== "function") return v;');
    lines.push('}'.repeat(open));
  }
  lines.push('return undefined;');
  try {
    return new Function('e', lines.join('\n')) as (event: object) => unknown;
  } catch (error) {
    // `node --disallow-code-generation-from-strings` (a hardening some deployments set): the loop.
    if (!(error instanceof EvalError)) throw error;
    return (event) => readByLoop(event, paths);
  }
}

function readByLoop(event: object, paths: readonly (readonly string[])[]): unknown {
  for (let c = 0; c < paths.length; c++) {
    const path = paths[c];
    let value: unknown = event;
    for (let s = 0; s < path.length && value !== undefined; s++) {
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[path[s]] : undefined;
    }
    if (value !== undefined && typeof value !== 'function') return value;
  }
  return undefined;
}

/** One reader per distinct path list, so every rule that tests `process.command_line` shares a cache slot. */
export class FieldReaders {
  private readonly byPaths = new Map<string, FieldReader>();

  get(paths: FieldPaths): FieldReader {
    const key = paths.join('\u0000');
    let reader = this.byPaths.get(key);
    if (!reader) {
      reader = new FieldReader(this.byPaths.size, paths);
      this.byPaths.set(key, reader);
    }
    return reader;
  }

  get size(): number {
    return this.byPaths.size;
  }
}

/**
 * The event being matched plus per-event caches. Rules match case-insensitively, so the same field
 * would be lowercased by every rule that tests it; the context lowercases it once per event (when a
 * rule's test needs it), and scans it once for the needles of every rule the event can meet (the
 * scanners of the event's plan, see RulePlan and NeedleScanner; the scan itself needs no lowercase
 * copy). Slots are stamped with an epoch instead of cleared, so moving to the next event costs nothing.
 */
export class MatchContext {
  event: object = {};
  private epoch = 0;
  private readonly stamps: number[] = [];
  private readonly lowered: string[] = [];
  /** Per field reader: the epoch its value was read in, and the value (rules share fields: read once per event). */
  private readonly readStamps: number[] = [];
  private readonly values: unknown[] = [];
  private readonly scanned: number[] = [];
  private readonly hits: Int32Array;
  /** The substring tests hit in the current event, in the order they were found: `found[0..foundCount)`. */
  readonly found: Int32Array;
  foundCount = 0;

  /** The current event's scanners, by field reader id. */
  private scanners: readonly (NeedleScanner | undefined)[] = [];

  constructor(needles?: NeedleRegistry) {
    this.hits = new Int32Array(needles?.size ?? 0);
    this.found = new Int32Array(needles?.size ?? 0);
  }

  /**
   * Advances to the next event, whose fields are scanned with `scanners` (by field reader id: they
   * must hold every substring test the rules tested on this event may ask about); returns the epoch,
   * also the stamp of rule visits (see RuleSet).
   */
  reset(event: object, scanners: readonly (NeedleScanner | undefined)[]): number {
    this.event = event;
    this.scanners = scanners;
    this.foundCount = 0;
    if (this.epoch === 0x7fffffff) {
      // Stamps are 32-bit: start over rather than let an old stamp look current.
      this.epoch = 0;
      this.hits.fill(0);
      this.stamps.length = 0;
      this.scanned.length = 0;
      this.readStamps.length = 0;
    }
    return ++this.epoch;
  }

  /** The field's value in the current event (`reader.read(event)`, read once per event and field). */
  read(reader: FieldReader): unknown {
    const id = reader.id;
    if (this.readStamps[id] === this.epoch) return this.values[id];
    const value = reader.read(this.event);
    this.readStamps[id] = this.epoch;
    this.values[id] = value;
    return value;
  }

  /** `text` must be the value `reader` reads from the current event. */
  lower(reader: FieldReader, text: string): string {
    const id = reader.id;
    if (this.stamps[id] === this.epoch) return this.lowered[id];
    const folded = text.toLowerCase();
    this.stamps[id] = this.epoch;
    this.lowered[id] = folded;
    return folded;
  }

  /** Whether one of the needles of `test` occurs in the field (scanned once per event and field). */
  hit(reader: FieldReader, test: number): boolean {
    if (this.scanned[reader.id] !== this.epoch) this.scan(reader);
    return this.hits[test] === this.epoch;
  }

  /**
   * Whether the field was already scanned this event and none of the needles of `test` occurred: a
   * "no" that costs nothing, without forcing a scan that may cost more than the test it would spare.
   */
  missed(reader: FieldReader, test: number): boolean {
    return this.scanned[reader.id] === this.epoch && this.hits[test] !== this.epoch;
  }

  /**
   * Whether a rule whose gates are `gates[from..to)` may still match: false when for some gate every
   * atom's field was already scanned in this event without a hit (a gate is a set of substring tests
   * of which one must hit for the rule to match, see CompiledDetection.gates). Layout per gate: the
   * atom count, then per atom its field reader id and its test id (see `gateList`). Fields not yet
   * scanned count as open: this never scans.
   */
  gatesOpen(gates: Int32Array, from: number, to: number): boolean {
    const epoch = this.epoch;
    const scanned = this.scanned;
    const hits = this.hits;
    let i = from;
    while (i < to) {
      const end = i + 1 + 2 * gates[i];
      let open = false;
      for (let a = i + 1; a < end; a += 2) {
        if (scanned[gates[a]] !== epoch || hits[gates[a + 1]] === epoch) {
          open = true;
          break;
        }
      }
      if (!open) return false;
      i = end;
    }
    return true;
  }

  /** Scans the field for every registered needle, once per event. */
  scan(reader: FieldReader): void {
    if (this.scanned[reader.id] === this.epoch) return;
    this.scanned[reader.id] = this.epoch;
    const scanner = this.scanners[reader.id];
    if (scanner === undefined) return;
    const value = this.read(reader);
    // The scanner compares case-insensitively itself: no lowercase copy of the field is made. (A
    // number's text is what it was before: digits, '.', '-', '+', 'e'; JSON holds no NaN or Infinity.)
    if (typeof value === 'string') {
      this.foundCount = scanner.scanFirst(value, this.hits, this.epoch, this.found, this.foundCount);
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      this.foundCount = scanner.scan(String(value), this.hits, this.epoch, this.found, this.foundCount);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const element: unknown = value[i];
        if (typeof element === 'string' || typeof element === 'number' || typeof element === 'boolean') {
          this.foundCount = scanner.scan(String(element), this.hits, this.epoch, this.found, this.foundCount);
        }
      }
    }
  }
}

/** A compiled test on the context's current event. */
export type EventTest = (ctx: MatchContext) => boolean;
