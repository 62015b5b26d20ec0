/** One `object-type:property.path = 'value'` comparison from a STIX pattern. */
export interface StixComparison {
  readonly objectType: string;
  /** Property path without quotes, e.g. ['hashes', 'SHA-256']. */
  readonly property: readonly string[];
  /** The object path as written, for messages: `file:hashes.'SHA-256'`. */
  readonly path: string;
  readonly value: string;
}

export type StixPatternParse = { readonly ok: true; readonly comparisons: StixComparison[] } | { readonly ok: false; readonly reason: string };

const OBSERVATION_OPERATORS = new Set(['AND', 'FOLLOWEDBY']);
const QUALIFIERS = new Set(['WITHIN', 'REPEATS', 'START']);
const WORD_OPERATORS = new Set(['IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);

class PatternRejected extends Error {}

/**
 * Reads the subset of STIX 2.1 patterning that is a disjunction of equality comparisons:
 * `[a = 'x']`, `[a = 'x' OR b = 'y']`, `[a = 'x'] OR [b = 'y']`, with any parentheses. Each
 * comparison can then be indexed as its own indicator.
 *
 * Everything else is refused, naming the construct, rather than approximated: AND (within or
 * between observations) would need the other half to match too, FOLLOWEDBY and the WITHIN /
 * REPEATS / START qualifiers need event windows, and MATCHES / LIKE / IN / ordering and NOT
 * are not exact values. Turning any of them into a plain value match would raise false alerts.
 */
export function parseStixPattern(pattern: string): StixPatternParse {
  const reader = new PatternReader(pattern);
  try {
    reader.observationExpression();
    reader.skipSpace();
    if (!reader.atEnd()) reader.fail(`unexpected '${reader.rest()}'`);
    return { ok: true, comparisons: reader.comparisons };
  } catch (error) {
    if (error instanceof PatternRejected) return { ok: false, reason: error.message };
    throw error;
  }
}

class PatternReader {
  readonly comparisons: StixComparison[] = [];
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  rest(): string {
    const rest = this.text.slice(this.pos);
    return rest.length > 30 ? `${rest.slice(0, 30)}…` : rest;
  }

  fail(message: string): never {
    throw new PatternRejected(`pattern syntax error at offset ${this.pos}: ${message}`);
  }

  unsupported(message: string): never {
    throw new PatternRejected(message);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  observationExpression(): void {
    this.observation();
    for (;;) {
      const word = this.peekWord();
      if (word === 'OR') {
        this.pos += 2;
        this.observation();
      } else if (OBSERVATION_OPERATORS.has(word)) {
        this.unsupported(`unsupported observation operator '${word}': only OR of observations can be indexed`);
      } else {
        return;
      }
    }
  }

  private observation(): void {
    this.skipSpace();
    const open = this.text[this.pos];
    if (open === '[') {
      this.pos++;
      this.comparisonExpression();
      this.expect(']');
    } else if (open === '(') {
      this.pos++;
      this.observationExpression();
      this.expect(')');
    } else {
      this.fail(`expected '[' or '(' but found ${this.atEnd() ? 'the end' : `'${this.rest()}'`}`);
    }
    const word = this.peekWord();
    if (QUALIFIERS.has(word)) {
      this.unsupported(`unsupported qualifier '${word}': windowed observations cannot be indexed as values`);
    }
  }

  private comparisonExpression(): void {
    this.comparisonTerm();
    for (;;) {
      const word = this.peekWord();
      if (word === 'OR') {
        this.pos += 2;
        this.comparisonTerm();
      } else if (word === 'AND') {
        this.unsupported(`unsupported comparison operator 'AND': only OR of equality comparisons can be indexed`);
      } else {
        return;
      }
    }
  }

  private comparisonTerm(): void {
    this.skipSpace();
    if (this.text[this.pos] === '(') {
      this.pos++;
      this.comparisonExpression();
      this.expect(')');
      return;
    }
    this.comparison();
  }

  private comparison(): void {
    if (this.peekWord() === 'EXISTS') this.unsupported(`unsupported operator 'EXISTS': it tests presence, not a value`);
    this.skipSpace();
    const pathStart = this.pos;
    const { objectType, property } = this.objectPath();
    const path = this.text.slice(pathStart, this.pos);

    let word = this.peekWord();
    if (word === 'NOT') this.unsupported(`unsupported negation 'NOT' in comparison on '${path}'`);
    this.skipSpace();
    const rest = this.text.slice(this.pos);
    const symbol = /^(!=|<=|>=|=|<|>)/.exec(rest)?.[1];
    if (symbol !== undefined && symbol !== '=') {
      this.unsupported(`unsupported comparison operator '${symbol}' on '${path}': only '=' can be indexed`);
    }
    if (symbol === undefined) {
      word = this.peekWord();
      if (WORD_OPERATORS.has(word)) {
        this.unsupported(`unsupported comparison operator '${word}' on '${path}': only '=' can be indexed`);
      }
      this.fail(`expected a comparison operator after '${path}'`);
    }
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] !== "'") {
      this.unsupported(`unsupported value for '${path}': only a quoted string can be indexed, found '${this.rest()}'`);
    }
    const value = this.stringLiteral();
    this.comparisons.push({ objectType, property, path, value });
  }

  private objectPath(): { objectType: string; property: string[] } {
    const typeMatch = /^[a-z0-9][a-z0-9-]*/.exec(this.text.slice(this.pos));
    if (typeMatch === null) this.fail(`expected an object path such as 'ipv4-addr:value'`);
    this.pos += typeMatch[0].length;
    if (this.text[this.pos] !== ':') this.fail(`expected ':' after object type '${typeMatch[0]}'`);
    this.pos++;
    const property = [this.propertyName()];
    for (;;) {
      const next = this.text[this.pos];
      if (next === '.') {
        this.pos++;
        property.push(this.propertyName());
      } else if (next === '[') {
        const index = /^\[(\d+|\*)\]/.exec(this.text.slice(this.pos));
        if (index === null) this.fail(`expected a list index such as [0] or [*]`);
        this.pos += index[0].length;
        property.push(`[${index[1]}]`);
      } else {
        return { objectType: typeMatch[0], property };
      }
    }
  }

  private propertyName(): string {
    if (this.text[this.pos] === "'") return this.stringLiteral();
    const name = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.pos));
    if (name === null) this.fail('expected a property name');
    this.pos += name[0].length;
    return name[0];
  }

  // A single-quoted string; STIX allows exactly two escapes, \' and \\.
  private stringLiteral(): string {
    const start = this.pos;
    this.pos++;
    let value = '';
    while (this.pos < this.text.length) {
      const char = this.text[this.pos]!;
      if (char === "'") {
        this.pos++;
        return value;
      }
      if (char === '\\') {
        const escaped = this.text[this.pos + 1];
        if (escaped !== "'" && escaped !== '\\') this.fail(`invalid escape '\\${escaped ?? ''}' in string literal`);
        value += escaped;
        this.pos += 2;
        continue;
      }
      value += char;
      this.pos++;
    }
    this.pos = start;
    return this.fail('unterminated string literal');
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== char) {
      this.fail(`expected '${char}' but found ${this.atEnd() ? 'the end' : `'${this.rest()}'`}`);
    }
    this.pos++;
  }

  // The upper-case keyword at the cursor (after whitespace), without consuming it.
  private peekWord(): string {
    this.skipSpace();
    return /^[A-Z]+(?![A-Za-z0-9_:-])/.exec(this.text.slice(this.pos))?.[0] ?? '';
  }
}
