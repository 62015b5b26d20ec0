import type { FieldReader } from './match-context';
import { defaultScanMemoLimits, ScanMemo, type ScanMemoLimits } from './scan-memo';

/** Class of a code unit whose lowercase cannot be taken alone (see `foldTables`): the scan lowercases the text instead. */
const special = 0xffff;

/** Built once: see `foldTables`. */
interface FoldTables {
  /** Per code unit: column 1 (a character no needle has), or `special`; the start of every scanner's `classOf`. */
  template: Uint16Array;
  /** Lowercase code unit → the code units whose lowercase it is (itself included when it is its own). */
  unfold: Map<number, number[]>;
  /** Per code unit: its lowercase, or `special`. */
  fold: Uint16Array;
}

let tables: FoldTables | undefined;

/**
 * Per UTF-16 code unit, its lowercase when lowercasing it alone gives what `toLowerCase` gives it in
 * any text, else `special`: surrogates (an astral letter's lowercase changes both halves), and the
 * code units whose lowercase is longer (U+0130 İ → i + U+0307) or depends on the text around it
 * (U+03A3 Σ: σ, or ς at the end of a word). U+FFFF, its own lowercase, is marked too (the marker).
 */
function foldTables(): FoldTables {
  if (tables === undefined) {
    const fold = new Uint16Array(65_536);
    const template = new Uint16Array(65_536).fill(1);
    const unfold = new Map<number, number[]>();
    for (let code = 0; code < 65_536; code++) {
      let lower = special;
      if (!((code >= 0xd800 && code <= 0xdfff) || code === 0x03a3 || code === 0xffff)) {
        const text = String.fromCharCode(code).toLowerCase();
        if (text.length === 1) lower = text.charCodeAt(0);
      }
      fold[code] = lower;
      if (lower === special) template[code] = special;
      else {
        const list = unfold.get(lower);
        if (list) list.push(code);
        else unfold.set(lower, [code]);
      }
    }
    tables = { template, unfold, fold };
  }
  return tables;
}

/** Scanners of at most this many needles, all of at least `minSkippingLength` characters, skip (see `skipTables`). */
const maxSkippingNeedles = 64;
const minSkippingLength = 4;

/**
 * Wu–Manber tables over the scanner's classes (see `NeedleScanner.scanSkipping`): with few needles,
 * all long (the Windows message keywords of 'Mimikatz Use', read on every Windows event that has a
 * message), most windows of the text end in a class pair no needle's first `shortest` characters
 * have, and the scan moves on by up to `shortest - 1` characters.
 */
interface SkipTables {
  shortest: number;
  /** Class pair (first × width + second) → how far the window may move. */
  shift: Uint8Array;
  /** Class pair → the needles whose first `shortest` characters end in it. */
  candidates: Int32Array[];
  /** Per needle: its characters' columns, and its test. */
  columns: Int32Array[];
  tests: Int32Array;
}

function skipTables(needles: readonly { text: string; test: number }[], classes: ReadonlyMap<number, number>): SkipTables | undefined {
  let shortest = Infinity;
  for (const { text } of needles) shortest = Math.min(shortest, text.length);
  if (needles.length === 0 || shortest < minSkippingLength || shortest > 255) return undefined;
  // Only ASCII needles: `scanSkipping` compares one class per code unit.
  if (needles.some(({ text }) => beyondAscii.test(text))) return undefined;
  const width = classes.size + 2;
  const shift = new Uint8Array(width * width).fill(shortest - 1);
  const lists: number[][] = Array.from({ length: width * width }, () => []);
  const columns = needles.map(({ text }) => Int32Array.from(text, (ch) => classes.get(ch.charCodeAt(0))! + 1));
  columns.forEach((column, needle) => {
    for (let q = 1; q < shortest; q++) {
      const pair = column[q - 1] * width + column[q];
      shift[pair] = Math.min(shift[pair], shortest - 1 - q);
    }
    lists[column[shortest - 2] * width + column[shortest - 1]].push(needle);
  });
  return { shortest, shift, candidates: lists.map((list) => Int32Array.from(list)), columns, tests: Int32Array.from(needles, (n) => n.test) };
}

/** A code unit beyond ASCII (see `NeedleScanner.wide`). */
const beyondAscii = /[^\u0000-\u007f]/;

/**
 * Transition table entries (4 bytes each) the dense part of one scanner may take: 256 KB. In stream
 * order each kind of event brings its own plan's scanners into the cache; a scan spends most steps in
 * the states nearest the root, and deeper states of large scanners (command lines, file names, script
 * blocks) are visited rarely, so their rows in a larger table cost cache misses more than the sparse
 * lookup costs steps (4 MB before 3 Dec 2026: the SigmaHQ set ran 1.02-1.05x faster side by side at 256 KB).
 */
const defaultDenseBudget = 1 << 16;

/**
 * Many rules look for many substrings in the same few fields (SQL injection strings in the URL,
 * error texts in the message). Testing each rule's needles with `includes` costs rules × needles per
 * event; instead every needle of a field goes into one automaton that reads the field once per event
 * and reports the tests whose needles occur. A rule's substring test is then one array read, and the
 * rule index only visits rules whose needles occurred.
 *
 * The automaton is Aho-Corasick over a compressed alphabet (the characters that occur in needles,
 * plus one class for all others). The states nearest the root, where a scan spends most of its
 * steps, are dense: a row of the transition table per state with the failure links folded in, one
 * array read per character. The table is bounded (`denseBudget` entries): the deeper states, of which
 * thousands of long needles (SigmaHQ's process-creation command lines, windash variants, emoji)
 * make hundreds of thousands over an alphabet of a thousand characters, keep only their trie
 * children and their failure link, which always leads back towards the dense states, in one record
 * per state (see `node`).
 *
 * Needles are lowercase and the scan is case-insensitive without lowercasing the text: each code
 * unit's class is that of its lowercase, so reading `text` finds what reading `text.toLowerCase()`
 * would, without building that string. A text holding a code unit whose lowercase depends on more
 * than itself (see `foldTables`) is lowercased and scanned again, exactly as before.
 */
export class NeedleScanner {
  /** Code unit → its lowercase's column (class + 1; 1 for a character no needle has), or `special`. */
  private readonly classOf = new Uint16Array(65_536);
  /** The columns of the `special` code units that occur in needles themselves (surrogates): for lowercased text. */
  private readonly rawColumns = new Map<number, number>();
  private readonly width: number;
  /** States `0..dense-1` have a row in `table`. */
  private readonly dense: number;
  /**
   * Dense state × width + column → next state, as `~next` (negative) when the next state has outputs:
   * a scan step then reads one array, not `outputOf` too (in stream order every array a step reads is
   * likely a cache miss: each kind of event brings other scanners' tables). The root has no outputs,
   * so `~0` never occurs.
   */
  private readonly table: Int32Array;
  /**
   * The sparse states (numbered from `dense` on), each one record: state s is
   * `node[s - dense ..]` = its failure state, its index into `outputs` (or -1), its child count n,
   * then n pairs (column, child state). Everything a scan step reads about a state is in one place
   * (one or two cache lines, where separate arrays per property cost one miss each in stream order,
   * as every kind of event brings other scanners' tables), and records are laid out depth first, so
   * a long needle's states follow one another.
   */
  private readonly node: Int32Array;
  /** Per dense state: its index into `outputs`, or -1. */
  private readonly denseOutput: Int32Array;
  private readonly states: number;
  /**
   * The needles holding a character outside ASCII (emoji, Cyrillic look-alikes, Unicode dashes), in a
   * scanner of their own, run only on a text with such a character: their hundreds of distinct
   * characters would otherwise widen every row of this scanner's table, and texts rarely hold them.
   */
  private readonly wide: NeedleScanner | undefined;
  private readonly outputs: Int32Array[] = [];

  constructor(all: readonly { text: string; test: number }[], denseBudget = defaultDenseBudget, memoLimits: ScanMemoLimits = defaultScanMemoLimits) {
    this.memo = new ScanMemo(memoLimits);
    // A lowercase needle with a character beyond ASCII can only occur in a text that has one too
    // (ASCII characters lowercase to ASCII): those needles go to `wide`, scanned only then.
    const narrow = all.filter((n) => !beyondAscii.test(n.text));
    const needles = narrow.length > 0 && narrow.length < all.length ? narrow : all;
    this.wide =
      needles === all
        ? undefined
        : new NeedleScanner(
            all.filter((n) => beyondAscii.test(n.text)),
            denseBudget,
          );
    const classes = new Map<number, number>();
    for (const { text } of needles) {
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (!classes.has(code)) classes.set(code, classes.size + 1);
      }
    }
    // Column 0 is unused; symbol classes 1..n are columns 2..n+1; column 1 is any other character.
    const width = classes.size + 2;
    if (width >= special) throw new Error('too many distinct needle characters');
    this.width = width;
    const { template, unfold, fold } = foldTables();
    this.classOf.set(template);
    for (const [code, symbol] of classes) {
      for (const upper of unfold.get(code) ?? []) this.classOf[upper] = symbol + 1;
      if (fold[code] === special) this.rawColumns.set(code, symbol + 1);
    }

    // The trie: edges as linked lists in typed arrays (no object per state; a SigmaHQ field has
    // hundreds of thousands of states), then renumbered breadth first, so that every dense state's
    // failure state is dense too.
    let capacity = 1;
    for (const { text } of needles) capacity += text.length;
    const firstEdge = new Int32Array(capacity).fill(-1);
    const edgeNext = new Int32Array(capacity);
    const edgeColumn = new Int32Array(capacity);
    const edgeChild = new Int32Array(capacity);
    const terminal = new Map<number, number[]>();
    let created = 1;
    for (const { text, test } of needles) {
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const column = classes.get(text.charCodeAt(i))! + 1;
        let next = -1;
        for (let e = firstEdge[state]; e !== -1; e = edgeNext[e]) {
          if (edgeColumn[e] === column) {
            next = edgeChild[e];
            break;
          }
        }
        if (next === -1) {
          next = created++;
          const e = next; // one edge into every state but the root: the edge takes the state's number
          edgeColumn[e] = column;
          edgeChild[e] = next;
          edgeNext[e] = firstEdge[state];
          firstEdge[state] = e;
        }
        state = next;
      }
      const list = terminal.get(state);
      if (list) list.push(test);
      else terminal.set(state, [test]);
    }
    const states = created;
    const order = new Int32Array(states);
    const renumber = new Int32Array(states);
    let queued = 1;
    for (let head = 0; head < queued; head++) {
      for (let e = firstEdge[order[head]]; e !== -1; e = edgeNext[e]) {
        renumber[edgeChild[e]] = queued;
        order[queued++] = edgeChild[e];
      }
    }

    this.dense = Math.max(1, Math.min(states, Math.floor(denseBudget / width)));
    const dense = this.dense;
    const table = new Int32Array(dense * width);
    const failure = new Int32Array(states);
    const childStart = new Int32Array(states - dense + 1);
    // Every state but the root is one trie edge: at most states - 1 sparse children.
    const childColumn = new Int32Array(Math.max(0, states - 1));
    const childState = new Int32Array(Math.max(0, states - 1));
    let children = 0;
    /** A sparse state's trie child by `column`, or -1. */
    const childOf = (state: number, column: number): number => {
      const row = state - dense;
      for (let k = childStart[row], end = childStart[row + 1]; k < end; k++) if (childColumn[k] === column) return childState[k];
      return -1;
    };
    /** The full transition function, for states already done (breadth first: every shallower one). */
    const step = (state: number, column: number): number => {
      for (;;) {
        if (state < dense) return table[state * width + column];
        const child = childOf(state, column);
        if (child !== -1) return child;
        state = failure[state];
      }
    };
    const outputOf = new Int32Array(states).fill(-1);
    for (let state = 0; state < states; state++) {
      const old = order[state];
      // Outputs: the state's own tests and those of its failure state (shared when it has none).
      const fallback = failure[state];
      const own = terminal.get(old);
      const inherited = state === 0 ? -1 : outputOf[fallback];
      if (own === undefined) outputOf[state] = inherited;
      else {
        const tests = new Set(own);
        if (inherited >= 0) for (const test of this.outputs[inherited]) tests.add(test);
        outputOf[state] = this.outputs.push(Int32Array.from(tests)) - 1;
      }
      const row = state * width;
      if (state < dense && state > 0) table.copyWithin(row, fallback * width, fallback * width + width);
      if (state >= dense) childStart[state - dense] = children;
      for (let e = firstEdge[old]; e !== -1; e = edgeNext[e]) {
        const column = edgeColumn[e];
        const child = renumber[edgeChild[e]];
        // The failure of a child by `column`: where the parent's failure state goes by it (root: root).
        failure[child] = state === 0 ? 0 : step(fallback, column);
        if (state < dense) table[row + column] = child;
        else {
          childColumn[children] = column;
          childState[children++] = child;
        }
      }
      if (state >= dense) childStart[state - dense + 1] = children;
    }
    // Every transition is decided now (`step` read raw states while building): lay the sparse states
    // out as records, renumbered, and mark the transitions into states with outputs.
    const { node, at } = sparseRecords(dense, states, failure, outputOf, childStart, childColumn, childState);
    const renamed = (state: number): number => (state < dense ? state : dense + at[state - dense]);
    for (let k = 0; k < table.length; k++) {
      const next = table[k];
      table[k] = outputOf[next] >= 0 ? ~renamed(next) : renamed(next);
    }
    for (let k = 0; k < node.length;) {
      node[k] = renamed(node[k]);
      const count = node[k + 2];
      for (let c = 0; c < count; c++) node[k + 4 + 2 * c] = renamed(node[k + 4 + 2 * c]);
      k += 3 + 2 * count;
    }
    this.table = table;
    this.node = node;
    this.denseOutput = outputOf.slice(0, dense);
    this.states = states;
    this.skip = needles.length <= maxSkippingNeedles ? skipTables(needles, classes) : undefined;
  }

  /** See `skipTables`: set for a few long needles, which a scan then mostly jumps over. */
  private readonly skip: SkipTables | undefined;

  /** States with a dense row, and states in all: for tests and diagnostics. */
  get size(): { dense: number; states: number } {
    return { dense: this.dense, states: this.states };
  }

  /**
   * Marks `stamps[test] = epoch` for every test with a needle in `text` (compared case-insensitively,
   * as `text.toLowerCase()`) and appends newly hit tests to `found` from position `count`; returns
   * the new count.
   */
  scan(text: string, stamps: Int32Array, epoch: number, found: Int32Array, count: number): number {
    count = this.scanNarrow(text, stamps, epoch, found, count);
    if (this.wide !== undefined && beyondAscii.test(text)) count = this.wide.scan(text, stamps, epoch, found, count);
    return count;
  }

  /** What this scanner found in the texts it read lately (see ScanMemo); shared by every plan that shares the scanner. */
  private readonly memo: ScanMemo;
  private static readonly noTests = new Int32Array(0);

  /**
   * `scan` of a field's whole value, for the first time in the current event: none of this
   * scanner's tests may be stamped with `epoch` yet (a field is scanned once per event, and its
   * tests are its own), so what the scan stamps is everything `text` holds, and a text seen lately
   * is answered from the memo without a scan. Not for the elements of a list after the first.
   */
  scanFirst(text: string, stamps: Int32Array, epoch: number, found: Int32Array, count: number): number {
    const memo = this.memo;
    if (!memo.wants(text)) return this.scan(text, stamps, epoch, found, count);
    const known = memo.recall(text);
    if (known !== undefined) {
      for (let k = 0; k < known.length; k++) {
        stamps[known[k]] = epoch;
        found[count++] = known[k];
      }
      return count;
    }
    const after = this.scan(text, stamps, epoch, found, count);
    memo.remember(text, after === count ? NeedleScanner.noTests : found.slice(count, after));
    return after;
  }

  private scanNarrow(text: string, stamps: Int32Array, epoch: number, found: Int32Array, count: number): number {
    if (this.skip !== undefined && !beyondAscii.test(text)) return this.scanSkipping(this.skip, text, stamps, epoch, found, count);
    const { classOf, table, outputs, dense, width, node, denseOutput } = this;
    let state = 0;
    chars: for (let i = 0; i < text.length; i++) {
      const column = classOf[text.charCodeAt(i)];
      if (column === special) return this.scanLowered(text.toLowerCase(), stamps, epoch, found, count);
      for (;;) {
        if (state < dense) {
          const next = table[state * width + column];
          if (next >= 0) {
            state = next;
            continue chars;
          }
          state = ~next;
          break;
        }
        const record = state - dense;
        let child = -1;
        for (let k = record + 3, end = k + 2 * node[record + 2]; k < end; k += 2) {
          if (node[k] === column) {
            child = node[k + 1];
            break;
          }
        }
        if (child !== -1) {
          state = child; // a trie child is deeper: sparse too
          if (node[state - dense + 1] < 0) continue chars;
          break;
        }
        state = node[record];
      }
      const tests = outputs[state < dense ? denseOutput[state] : node[state - dense + 1]];
      for (let k = 0; k < tests.length; k++) {
        const test = tests[k];
        if (stamps[test] !== epoch) {
          stamps[test] = epoch;
          found[count++] = test;
        }
      }
    }
    return count;
  }

  /**
   * Wu–Manber's scan of an ASCII text (whose code units each lowercase to one ASCII code unit, so
   * comparing classes is comparing lowercase): the window of the needles' shortest length `m` slides
   * along the text; the class pair at its end says how far it may move without passing the end of an
   * occurrence of any needle's first `m` characters, and where it may not move, the needles whose
   * first `m` characters end in that pair are compared in full.
   */
  private scanSkipping(skip: SkipTables, text: string, stamps: Int32Array, epoch: number, found: Int32Array, count: number): number {
    const { classOf, width } = this;
    const { shortest, shift, candidates, columns, tests } = skip;
    const length = text.length;
    for (let end = shortest - 1; end < length;) {
      const pair = classOf[text.charCodeAt(end - 1)] * width + classOf[text.charCodeAt(end)];
      const distance = shift[pair];
      if (distance > 0) {
        end += distance;
        continue;
      }
      const list = candidates[pair];
      const start = end - shortest + 1;
      for (let c = 0; c < list.length; c++) {
        const needle = list[c];
        const test = tests[needle];
        if (stamps[test] === epoch) continue;
        const expected = columns[needle];
        if (start + expected.length > length) continue;
        let k = 0;
        while (k < expected.length && classOf[text.charCodeAt(start + k)] === expected[k]) k++;
        if (k === expected.length) {
          stamps[test] = epoch;
          found[count++] = test;
        }
      }
      end++;
    }
    return count;
  }

  /**
   * The scan of an already lowercased text: its code units are their own lowercase, except the
   * surrogates, which are read as themselves. Tests already stamped by the scan that gave up are not
   * reported twice.
   */
  private scanLowered(text: string, stamps: Int32Array, epoch: number, found: Int32Array, count: number): number {
    const { classOf, table, outputs, dense, width, rawColumns, node, denseOutput } = this;
    let state = 0;
    chars: for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let column = classOf[code];
      if (column === special) column = rawColumns.get(code) ?? 1;
      for (;;) {
        if (state < dense) {
          const next = table[state * width + column];
          if (next >= 0) {
            state = next;
            continue chars;
          }
          state = ~next;
          break;
        }
        const record = state - dense;
        let child = -1;
        for (let k = record + 3, end = k + 2 * node[record + 2]; k < end; k += 2) {
          if (node[k] === column) {
            child = node[k + 1];
            break;
          }
        }
        if (child !== -1) {
          state = child; // a trie child is deeper: sparse too
          if (node[state - dense + 1] < 0) continue chars;
          break;
        }
        state = node[record];
      }
      const tests = outputs[state < dense ? denseOutput[state] : node[state - dense + 1]];
      for (let k = 0; k < tests.length; k++) {
        const test = tests[k];
        if (stamps[test] !== epoch) {
          stamps[test] = epoch;
          found[count++] = test;
        }
      }
    }
    return count;
  }
}

/**
 * The sparse states as records (see `NeedleScanner.node`), depth first from each sparse state whose
 * parent is dense, so that a needle's chain of single-child states is contiguous. State numbers in
 * the records are still the old ones (breadth first); `at` maps sparse state s to its record's offset.
 */
function sparseRecords(
  dense: number,
  states: number,
  failure: Int32Array,
  outputOf: Int32Array,
  childStart: Int32Array,
  childColumn: Int32Array,
  childState: Int32Array,
): { node: Int32Array; at: Int32Array } {
  const sparse = states - dense;
  const at = new Int32Array(sparse);
  const node = new Int32Array(3 * sparse + 2 * (sparse > 0 ? childStart[sparse] : 0));
  const isChild = new Uint8Array(sparse);
  for (let k = 0; k < (sparse > 0 ? childStart[sparse] : 0); k++) isChild[childState[k] - dense] = 1;
  let length = 0;
  const stack: number[] = [];
  for (let top = 0; top < sparse; top++) {
    if (isChild[top] === 1) continue; // reached from its parent's record
    stack.push(top);
    while (stack.length > 0) {
      const row = stack.pop()!;
      const from = childStart[row];
      const count = childStart[row + 1] - from;
      at[row] = length;
      node[length] = failure[row + dense];
      node[length + 1] = outputOf[row + dense];
      node[length + 2] = count;
      for (let c = 0; c < count; c++) {
        node[length + 3 + 2 * c] = childColumn[from + c];
        node[length + 4 + 2 * c] = childState[from + c];
      }
      length += 3 + 2 * count;
      // The first child is laid out next (pushed last).
      for (let c = count - 1; c >= 0; c--) stack.push(childState[from + c] - dense);
    }
  }
  return { node, at };
}

/** A substring test registered with the scanner: true when one of its needles occurs in the field. */
export interface NeedleTest {
  reader: FieldReader;
  test: number;
}

/** Where the compilers register substring needles (a `NeedleRegistry`, or one that also records them per rule). */
export interface NeedleSink {
  register(reader: FieldReader, texts: readonly string[]): NeedleTest;
}

/**
 * Collects the needles of every rule while compiling, per field. Scanners are built per set of tests
 * (the rule index builds one per field for the tests of the rules an event can meet, see RulePlan),
 * or per field for every test (`scanner`).
 */
export class NeedleRegistry implements NeedleSink {
  private readonly needles = new Map<number, { text: string; test: number }[]>();
  /** Per test: its needles. */
  private readonly textsOf: (readonly string[])[] = [];
  private readonly scanners = new Map<string, NeedleScanner>();
  /** Field and needle set → its test, so rules asking the same question share one test. */
  private readonly registered = new Map<string, NeedleTest>();
  private tests = 0;

  /**
   * Registers lowercased, non-empty needles OR-ed into one test on the field. The same needles on
   * the same field give the same test: the rule index can then see which tests many rules share
   * (and so are poor gates), and the scanner holds each needle once.
   */
  register(reader: FieldReader, texts: readonly string[]): NeedleTest {
    const distinct = [...new Set(texts)].sort();
    const key = `${reader.id}\u0000${distinct.join('\u0000')}`;
    const known = this.registered.get(key);
    if (known) return known;
    const test = this.tests++;
    let list = this.needles.get(reader.id);
    if (!list) {
      list = [];
      this.needles.set(reader.id, list);
    }
    for (const text of distinct) list.push({ text, test });
    this.textsOf[test] = distinct;
    const registered: NeedleTest = { reader, test };
    this.registered.set(key, registered);
    return registered;
  }

  get size(): number {
    return this.tests;
  }

  /** The scanner for every test registered on the field. */
  scanner(reader: FieldReader): NeedleScanner | undefined {
    const key = `${reader.id}`;
    let scanner = this.scanners.get(key);
    if (!scanner) {
      const needles = this.needles.get(reader.id);
      if (!needles) return undefined;
      scanner = new NeedleScanner(needles);
      this.scanners.set(key, scanner);
    }
    return scanner;
  }

  /**
   * The scanner for some of a field's tests (all on that field). Plans that need the same tests on
   * a field share one scanner.
   */
  scannerFor(reader: FieldReader, tests: readonly number[]): NeedleScanner {
    const sorted = [...new Set(tests)].sort((a, b) => a - b);
    const key = `${reader.id}:${sorted.join(',')}`;
    let scanner = this.scanners.get(key);
    if (!scanner) {
      scanner = new NeedleScanner(sorted.flatMap((test) => this.textsOf[test].map((text) => ({ text, test }))));
      this.scanners.set(key, scanner);
    }
    return scanner;
  }
}

/** A sink that passes registrations on and keeps the tests one rule registered (its `CompiledDetection.atoms`). */
export class RecordingSink implements NeedleSink {
  readonly tests: NeedleTest[] = [];

  constructor(private readonly registry: NeedleSink) {}

  register(reader: FieldReader, texts: readonly string[]): NeedleTest {
    const test = this.registry.register(reader, texts);
    if (!this.tests.includes(test)) this.tests.push(test);
    return test;
  }
}
