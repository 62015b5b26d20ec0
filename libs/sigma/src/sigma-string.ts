import { enableLinearFallback } from './regex-safety';

/**
 * A Sigma string value after escape processing: literal text interleaved with the two wildcards.
 * Sigma's escaping: `\*` and `\?` are a literal star and question mark, `\\` is one backslash, and a
 * backslash before anything else is itself (so `C:\Windows\` needs no escaping).
 */
export const anyChars = Symbol('*');
export const oneChar = Symbol('?');
export type PatternPart = string | typeof anyChars | typeof oneChar;

export class SigmaString {
  private constructor(readonly parts: readonly PatternPart[]) {}

  static parse(text: string): SigmaString {
    const parts: PatternPart[] = [];
    let literal = '';
    const flush = (): void => {
      if (literal !== '') parts.push(literal);
      literal = '';
    };
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\\') {
        const next = text[i + 1];
        if (next === '*' || next === '?' || next === '\\') {
          literal += next;
          i++;
        } else {
          literal += '\\';
        }
      } else if (c === '*' || c === '?') {
        flush();
        parts.push(c === '*' ? anyChars : oneChar);
      } else {
        literal += c;
      }
    }
    flush();
    return new SigmaString(parts);
  }

  /** A value that is exactly this text: no wildcards (used for encoded values). */
  static literal(text: string): SigmaString {
    return new SigmaString(text === '' ? [] : [text]);
  }

  static of(parts: readonly PatternPart[]): SigmaString {
    return new SigmaString(normalise(parts));
  }

  get hasWildcards(): boolean {
    return this.parts.some((p) => typeof p !== 'string');
  }

  /** The text of a wildcard-free value. */
  get plain(): string {
    return this.parts.filter((p): p is string => typeof p === 'string').join('');
  }

  withLeadingStar(): SigmaString {
    return this.parts[0] === anyChars ? this : SigmaString.of([anyChars, ...this.parts]);
  }

  withTrailingStar(): SigmaString {
    return this.parts[this.parts.length - 1] === anyChars ? this : SigmaString.of([...this.parts, anyChars]);
  }

  map(transform: (literal: string) => string): SigmaString {
    return SigmaString.of(this.parts.map((p) => (typeof p === 'string' ? transform(p) : p)));
  }
}

/** Adjacent literals are joined and runs of `*` collapse, so the matcher sees the simplest shape. */
function normalise(parts: readonly PatternPart[]): PatternPart[] {
  const out: PatternPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (typeof part === 'string') {
      if (part === '') continue;
      if (typeof last === 'string') out[out.length - 1] = last + part;
      else out.push(part);
    } else if (!(part === anyChars && last === anyChars)) {
      out.push(part);
    }
  }
  return out;
}

/** A test on a (possibly lowercased) field text, with no allocation on the hot path. */
export type TextTest = (text: string) => boolean;

/** The shapes that do not need a regular expression, so the matcher can pick a string primitive. */
export type PatternShape =
  | { kind: 'equals'; text: string }
  | { kind: 'startsWith'; text: string }
  | { kind: 'endsWith'; text: string }
  | { kind: 'contains'; text: string }
  | { kind: 'any' }
  /** Only `*` wildcards: the literal pieces in order, each after the previous one. */
  | { kind: 'ordered'; pieces: string[]; anchoredStart: boolean; anchoredEnd: boolean }
  | { kind: 'regex'; source: string };

/** Classifies a pattern; `lower` folds the literal parts for case-insensitive matching. */
export function patternShape(value: SigmaString, lower: boolean): PatternShape {
  const parts = value.parts.map((p) => (typeof p === 'string' && lower ? p.toLowerCase() : p));
  if (parts.length === 0) return { kind: 'equals', text: '' };
  if (parts.length === 1 && parts[0] === anyChars) return { kind: 'any' };
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (parts.length === 1 && typeof first === 'string') return { kind: 'equals', text: first };
  if (parts.length === 2 && typeof first === 'string' && last === anyChars) return { kind: 'startsWith', text: first };
  if (parts.length === 2 && first === anyChars && typeof last === 'string') return { kind: 'endsWith', text: last };
  if (parts.length === 3 && first === anyChars && last === anyChars && typeof parts[1] === 'string') {
    return { kind: 'contains', text: parts[1] };
  }
  if (!parts.includes(oneChar)) {
    return {
      kind: 'ordered',
      pieces: parts.filter((p): p is string => typeof p === 'string'),
      anchoredStart: typeof first === 'string',
      anchoredEnd: typeof last === 'string',
    };
  }
  const body = parts.map((p) => (p === anyChars ? '[\\s\\S]*' : p === oneChar ? '[\\s\\S]' : escapeRegExp(p))).join('');
  return { kind: 'regex', source: `^${body}$` };
}

export function compileTextTest(shape: PatternShape): TextTest {
  switch (shape.kind) {
    case 'equals': {
      const { text } = shape;
      return (value) => value === text;
    }
    case 'startsWith': {
      const { text } = shape;
      return (value) => value.startsWith(text);
    }
    case 'endsWith': {
      const { text } = shape;
      return (value) => value.endsWith(text);
    }
    case 'contains': {
      const { text } = shape;
      return (value) => value.includes(text);
    }
    case 'any':
      return () => true;
    case 'ordered':
      return orderedTest(shape.pieces, shape.anchoredStart, shape.anchoredEnd);
    case 'regex': {
      enableLinearFallback(); // `?` beside several `*`: the backtracking engine may take long
      const regex = new RegExp(shape.source);
      return (value) => regex.test(value);
    }
  }
}

/** `a*b*c`: successive string searches, which beat a backtracking regular expression. */
function orderedTest(pieces: readonly string[], anchoredStart: boolean, anchoredEnd: boolean): TextTest {
  const last = pieces.length - 1;
  return (value) => {
    let from = 0;
    let index = 0;
    if (anchoredStart) {
      if (!value.startsWith(pieces[0])) return false;
      from = pieces[0].length;
      index = 1;
    }
    const middleEnd = anchoredEnd ? last : last + 1;
    for (; index < middleEnd; index++) {
      const at = value.indexOf(pieces[index], from);
      if (at < 0) return false;
      from = at + pieces[index].length;
    }
    return !anchoredEnd || (value.length - pieces[last].length >= from && value.endsWith(pieces[last]));
  };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
