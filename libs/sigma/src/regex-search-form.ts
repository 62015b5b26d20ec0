import { quantifierAt, skipGroup } from './regex-literal';

/**
 * A Sigma `re` value asks whether the expression matches anywhere in the field, not what it
 * matched. For that question a repeated single character at either end of an unanchored expression
 * only needs its minimum: `\w+`x` occurs wherever "w`x" does (take the last word character of the
 * run), `.*mimikatz.*` wherever "mimikatz" does. JavaScript's backtracking engine does not know
 * this: it tries a leading `.*` or `\w+` from every start position to the end of its run, so the
 * cost grows with the square of the field's length (`.*foo` over 5 KB of script block: ~19 ms per
 * test, against ~1 µs for `foo`; SigmaHQ's 'Powershell Token Obfuscation' reads every script block
 * with `\w+`...`). A rule an analyst writes with `.*` at either end would otherwise cost every member's
 * long fields that much.
 *
 * So a repeated single-character atom (`.`, a class escape, an escaped or plain character, a
 * bracket class) that is the first or the last piece of an expression without top-level alternation
 * keeps only its minimum count: `X*` goes, `X+` becomes `X`, `X{n,m}` at the end becomes `X{n}`; at
 * the start a minimum of two or more becomes `(?<!X)X{n,}`, tried only where a run of X begins
 * (`.{1000,}` over a 900-character command line: ~0.9 ms, ~4 µs so). An anchor is a piece of its own:
 * after `^` or before `$` nothing is rewritten. Groups are left as they are (captures and references
 * make their repetition matter). The source must already be a valid expression (compile it first: a
 * rewrite could make an invalid one valid).
 */
export function searchForm(source: string, options: { lookbehind: boolean } = { lookbehind: true }): string {
  const pieces = topLevelPieces(source);
  if (pieces === undefined || pieces.length === 0) return source;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  let head = '';
  let from = 0;
  if (first.repeatable && first.min !== undefined) {
    const atom = source.slice(first.start, first.atomEnd);
    // Two or more: `X{n}` could start anywhere in a run of X and cost n steps at each; starting only
    // where a run starts, greedy with backtracking inside it, finds the same matches in one pass.
    head = first.min >= 2 && options.lookbehind ? `(?<!${atom})${atom}{${first.min},}` : atLeast(atom, first.min);
    from = first.end;
  }
  let tail = '';
  let to = source.length;
  if (last !== first && last.repeatable && last.min !== undefined) {
    tail = atLeast(source.slice(last.start, last.atomEnd), last.min);
    to = last.start;
  }
  return head + source.slice(from, to) + tail;
}

/** `atom` exactly `min` times: nothing for 0. */
function atLeast(atom: string, min: number): string {
  return min === 0 ? '' : min === 1 ? atom : `${atom}{${min}}`;
}

interface Piece {
  start: number;
  /** Where the atom ends and its quantifier (if any) begins. */
  atomEnd: number;
  end: number;
  /** The quantifier's minimum, when the atom has one. */
  min?: number;
  /** A single-character atom whose repetition is only a count (not a group, anchor or assertion). */
  repeatable: boolean;
}

/** The top-level atoms of `source` with their quantifiers; undefined where the rewrite must not apply. */
function topLevelPieces(source: string): Piece[] | undefined {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    let atomEnd: number;
    let repeatable: boolean;
    if (c === '|') return undefined; // alternation: leave it
    if (c === '\\') {
      const escaped = source[i + 1];
      if (escaped === undefined) return undefined;
      // Class escapes and escaped punctuation are one character; \b, references, \x.., \u.... are not.
      repeatable = /[wWdDsS]/.test(escaped) || /[!-/:-@[-`{-~]/.test(escaped);
      atomEnd = i + 2;
      if (!repeatable && /[0-9bBkcxu]/.test(escaped)) return undefined;
    } else if (c === '(' || c === '[') {
      atomEnd = skipGroup(source, i);
      if (atomEnd < 0) return undefined;
      repeatable = c === '[';
    } else if (c === ')' || c === ']' || c === '*' || c === '+' || c === '?' || c === '{' || c === '}') {
      return undefined; // not read: a quantifier without an atom, or a brace as a literal
    } else {
      // An anchor is an atom of its own: a repetition beside it keeps its meaning (`^\s*x` is left,
      // `[^/]{100,}$` is tried where a run begins, and still must end the text).
      atomEnd = i + 1;
      repeatable = c !== '^' && c !== '$';
    }
    const quantifier = quantifierAt(source, atomEnd);
    const end = quantifier?.end ?? atomEnd;
    // A quantifier followed by another one (`a{2}{3}` is a SyntaxError, `a+?` is one lazy quantifier): leave it.
    if (quantifier !== undefined && quantifierAt(source, end) !== undefined) return undefined;
    pieces.push({ start: i, atomEnd, end, min: quantifier?.min, repeatable: repeatable && quantifier !== undefined });
    i = end;
  }
  return pieces;
}
