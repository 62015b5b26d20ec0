import type { FieldReader } from './match-context';

/**
 * Many rules look for many substrings in the same few fields (SQL injection strings in the URL,
 * error texts in the message). Testing each rule's needles with `includes` costs rules × needles per
 * event; instead every needle of a field goes into one automaton that reads the (lowercased) field
 * once per event and reports the tests whose needles occur. A rule's substring test is then one array
 * read, and the rule index only visits rules whose needles occurred.
 *
 * The automaton is a dense DFA (Aho-Corasick with the failure links folded into the transitions)
 * over a compressed alphabet: the characters that occur in needles, plus one class for all others.
 * Each state is a row of the transition table; column 0 of the row holds the state's output list
 * (or -1), so a step is two array reads and no multiplication.
 */
export class NeedleScanner {
  private readonly classOf = new Uint16Array(65_536);
  private readonly table: Int32Array;
  private readonly outputs: Int32Array[];

  constructor(needles: readonly { text: string; test: number }[]) {
    let classes = 1;
    for (const { text } of needles) {
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (this.classOf[code] === 0) this.classOf[code] = classes++;
      }
    }
    // Column 0 is the output slot; symbol classes 1..classes-1; class 0 (any other character) too.
    const width = classes + 1;
    const symbol = (code: number): number => this.classOf[code] + 1;

    const children: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    for (const { text, test } of needles) {
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const column = symbol(text.charCodeAt(i));
        let next = children[state].get(column);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          own.push([]);
          children[state].set(column, next);
        }
        state = next;
      }
      own[state].push(test);
    }

    // Breadth first: a state's transitions are its trie children, else those of its failure state.
    const states = children.length;
    const next = new Int32Array(states * width);
    const failure = new Int32Array(states);
    const outputs: number[][] = own.map((list) => [...list]);
    const queue: number[] = [];
    for (const [column, child] of children[0]) {
      next[column] = child;
      queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      const fallback = failure[state];
      outputs[state].push(...outputs[fallback]);
      for (let column = 1; column < width; column++) {
        const child = children[state].get(column);
        if (child === undefined) {
          next[state * width + column] = next[fallback * width + column];
        } else {
          next[state * width + column] = child;
          failure[child] = next[fallback * width + column];
          queue.push(child);
        }
      }
    }

    // Store row offsets instead of state numbers, and the output index in column 0.
    this.outputs = [];
    this.table = new Int32Array(states * width);
    for (let state = 0; state < states; state++) {
      const row = state * width;
      const found = [...new Set(outputs[state])];
      this.table[row] = found.length === 0 ? -1 : this.outputs.push(Int32Array.from(found)) - 1;
      for (let column = 1; column < width; column++) this.table[row + column] = next[row + column] * width;
    }
    this.classOf = this.classOf.map((c) => c + 1);
  }

  /**
   * Marks `stamps[test] = epoch` for every test with a needle in `text` and appends newly hit tests to
   * `found` from position `count`; returns the new count.
   */
  scan(text: string, stamps: Int32Array, epoch: number, found: Int32Array, count: number): number {
    const { classOf, table, outputs } = this;
    let row = 0;
    for (let i = 0; i < text.length; i++) {
      row = table[row + classOf[text.charCodeAt(i)]];
      const output = table[row];
      if (output < 0) continue;
      const tests = outputs[output];
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

/** A substring test registered with the scanner: true when one of its needles occurs in the field. */
export interface NeedleTest {
  reader: FieldReader;
  test: number;
}

/**
 * Collects the needles of every rule while compiling, per field, and builds one scanner per field
 * the first time an event needs it.
 */
export class NeedleRegistry {
  private readonly needles = new Map<number, { text: string; test: number }[]>();
  private readonly scanners = new Map<number, NeedleScanner>();
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
    const registered: NeedleTest = { reader, test };
    this.registered.set(key, registered);
    return registered;
  }

  get size(): number {
    return this.tests;
  }

  scanner(reader: FieldReader): NeedleScanner | undefined {
    let scanner = this.scanners.get(reader.id);
    if (!scanner) {
      const needles = this.needles.get(reader.id);
      if (!needles) return undefined;
      scanner = new NeedleScanner(needles);
      this.scanners.set(reader.id, scanner);
    }
    return scanner;
  }
}
