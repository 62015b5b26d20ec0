/**
 * A substring every match of a regular expression contains, for the rule index's prefilter: a rule
 * whose `re` value needs "`" is not tested on a script block without one. Conservative: only the
 * top level of a pattern without alternation is read, a quantifier that allows zero occurrences
 * drops its atom, and only ASCII characters are kept (with the `i` flag, JavaScript's case folding
 * of non-ASCII letters differs from lowercasing: /σ/i matches ς). Whatever is not understood ends
 * the current run of literal characters; undefined when no run is left.
 *
 * The needle is lowercased: the scanner compares case-insensitively, so a text the expression
 * matches (case-sensitively or not) holds it.
 */
export function requiredLiteral(source: string): string | undefined {
  const runs: string[] = [];
  let run = '';
  const end = (): void => {
    if (run !== '') runs.push(run);
    run = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    let literal: string | undefined;
    let next = i + 1;
    if (c === '|') return undefined; // alternation at the top level: no single necessary piece
    if (c === '\\') {
      const escaped = source[i + 1];
      if (escaped === undefined) return undefined;
      // An escaped punctuation character is itself; letters and digits are classes, references, codes.
      literal = /[!-/:-@[-`{-~]/.test(escaped) ? escaped : undefined;
      next = i + 2;
    } else if (c === '(' || c === '[') {
      next = skipGroup(source, i);
      if (next < 0) return undefined;
    } else if (c === ')' || c === ']') {
      return undefined; // unbalanced: not read
    } else if (c === '.' || c === '^' || c === '$' || c === '*' || c === '+' || c === '?' || c === '{') {
      // `{` that is no quantifier is a literal in JavaScript's annex B syntax; read conservatively.
      literal = undefined;
    } else {
      literal = c;
    }
    const quantifier = quantifierAt(source, next);
    if (quantifier !== undefined) {
      // An atom repeated at least once still occurs; the run cannot continue across the repetition.
      if (literal !== undefined && quantifier.min >= 1 && isAscii(literal)) run += literal;
      end();
      i = quantifier.end;
      continue;
    }
    if (literal !== undefined && isAscii(literal)) run += literal;
    else end();
    i = next;
  }
  end();
  let longest = '';
  for (const r of runs) if (r.length > longest.length) longest = r;
  return longest === '' ? undefined : longest.toLowerCase();
}

function isAscii(text: string): boolean {
  return text.charCodeAt(0) < 128;
}

/** The index after the group or class starting at `start`, or -1. */
export function skipGroup(source: string, start: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') {
        inClass = false;
        if (depth === 0) return i + 1;
      }
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

/** A quantifier at `at` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy), with its minimum. */
export function quantifierAt(source: string, at: number): { min: number; end: number } | undefined {
  const c = source[at];
  let min: number;
  let end: number;
  if (c === '*' || c === '?') {
    min = 0;
    end = at + 1;
  } else if (c === '+') {
    min = 1;
    end = at + 1;
  } else if (c === '{') {
    const match = /^\{(\d+)(,\d*)?\}/.exec(source.slice(at));
    if (!match) return undefined;
    min = Number(match[1]);
    end = at + match[0].length;
  } else return undefined;
  if (source[end] === '?') end++;
  return { min, end };
}
