import { setFlagsFromString } from 'node:v8';
import { skipGroup } from './regex-literal';
import { searchForm } from './regex-search-form';

/**
 * Sigma `re` values run on JavaScript's backtracking engine, where an expression such as `(a+)+b`
 * takes time exponential in the length of the text it fails on (~18 s for 28 characters): one rule
 * and one member's odd field would stop the correlator for every member. V8 can hand an expression
 * that backtracks excessively (50,000 times) to its linear-time engine instead, for expressions
 * that engine can run (no lookarounds, backreferences, very large counts, nor the i modifier).
 * This turns that on for the process, the first time a rule's expression is compiled, so whichever
 * process evaluates Sigma rules (correlator, rule tests, CLI, benchmarks) has it; and it turns on
 * the `l` flag, so the compiler can ask whether an expression is covered (`runsInLinearTime`).
 */
let enabled = false;

export function enableLinearFallback(): void {
  if (enabled) return;
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  setFlagsFromString('--enable-experimental-regexp-engine');
  enabled = true;
}

/** Whether V8's linear-time engine can run the expression (and so take over when it backtracks too much). */
export function runsInLinearTime(source: string, flags: string): boolean {
  enableLinearFallback();
  try {
    new RegExp(source, `${flags}l`);
    return true;
  } catch {
    return false;
  }
}

/**
 * How a `re` value is tested: the first of its equivalent forms V8's linear-time engine can run (the
 * search form, the search form without its lookbehind, either with case spelled out instead of the
 * i modifier), else the search form, which at least avoids the quadratic cost of its ends.
 */
export function testedForm(source: string, flags: string): { source: string; flags: string } {
  const searched = searchForm(source);
  const candidates = [searched, searchForm(source, { lookbehind: false })];
  const caseless = flags.replace('i', '');
  for (const candidate of candidates) {
    if (runsInLinearTime(candidate, flags)) return { source: candidate, flags };
    const expanded = flags === caseless ? undefined : caseExpanded(candidate);
    if (expanded !== undefined && runsInLinearTime(expanded, caseless)) return { source: expanded, flags: caseless };
  }
  return { source: searched, flags };
}

/**
 * The expression without the i modifier, each ASCII letter written as both its cases (`[aA]`, a
 * class's `a-f` also as `A-F`), which V8's linear-time engine can run where it cannot run the i
 * modifier. Without the u flag the i modifier folds an ASCII letter only with its other case (never
 * with ſ or the Kelvin sign, whose upper cases are ASCII or themselves), so this matches the same
 * texts. Undefined where that is not certain: non-ASCII characters, code escapes (`\x41`, `\u0041`,
 * `\cJ`), backreferences, named groups' references, ranges that mix letters and other characters.
 */
export function caseExpanded(source: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c.charCodeAt(0) > 0x7f) return undefined;
    if (c === '\\') {
      const escape = plainEscape(source, i, false);
      if (escape === undefined) return undefined;
      out += escape;
      i += 2;
    } else if (c === '[') {
      // JavaScript's class: the first `]` closes it (`[]` matches nothing, `[^]` anything).
      const after = skipGroup(source, i);
      if (after < 0) return undefined;
      const body = expandedClass(source.slice(i + 1, after - 1));
      if (body === undefined) return undefined;
      out += `[${body}]`;
      i = after;
    } else if (c === '(' && source[i + 1] === '?' && source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') {
      const close = source.indexOf('>', i);
      if (close < 0) return undefined;
      out += source.slice(i, close + 1); // a group's name is no text to match
      i = close + 1;
    } else {
      out += bothCases(c);
      i++;
    }
  }
  return out;
}

/** `x` as `[xX]` for an ASCII letter, anything else as it is. */
function bothCases(c: string): string {
  const lower = c.toLowerCase();
  const upper = c.toUpperCase();
  return lower !== upper && /[a-zA-Z]/.test(c) ? `[${lower}${upper}]` : c;
}

/**
 * An escape that means the same with and without the i modifier (`\d`, `\.`, `\n`), or undefined:
 * code escapes may name a letter, digits and `\k` are references (compared case-insensitively), and
 * any other escaped letter is that letter (`\q` is q without the u flag). In a class `\b` is a
 * backspace and `\B` is B.
 */
function plainEscape(source: string, at: number, inClass: boolean): string | undefined {
  const next = source[at + 1];
  if (next === undefined || next.charCodeAt(0) > 0x7f) return undefined;
  if (/[a-zA-Z0-9]/.test(next) && !(inClass ? /[dDwWsSbnrtfv]/ : /[dDwWsSbBnrtfv]/).test(next)) return undefined;
  return `\\${next}`;
}

/** A class body with each letter's other case added; undefined for what is not certain. */
function expandedClass(body: string): string | undefined {
  let out = '';
  let i = 0;
  if (body[0] === '^') {
    out = '^';
    i = 1;
  }
  while (i < body.length) {
    const c = body[i];
    if (c.charCodeAt(0) > 0x7f) return undefined;
    let member = c;
    let next = i + 1;
    if (c === '\\') {
      const escape = plainEscape(body, i, true);
      if (escape === undefined) return undefined;
      member = escape;
      next = i + 2;
    }
    if (body[next] === '-' && next + 1 < body.length) {
      // A range: both ends plain characters in one block of letters, or no letter between them.
      const to = body[next + 1];
      if (member.length !== 1 || to === '\\' || to.charCodeAt(0) > 0x7f) return undefined;
      const [from, last] = [member.charCodeAt(0), to.charCodeAt(0)];
      const within = (a: number, z: number) => from >= a && last <= z;
      if (within(0x61, 0x7a) || within(0x41, 0x5a))
        out += `${member}-${to}${member.toUpperCase() === member ? member.toLowerCase() : member.toUpperCase()}-${to.toUpperCase() === to ? to.toLowerCase() : to.toUpperCase()}`;
      else if (last < 0x41 || from > 0x7a || (from > 0x5a && last < 0x61)) out += `${member}-${to}`;
      else return undefined;
      i = next + 2;
      continue;
    }
    out += member.length === 1 && /[a-zA-Z]/.test(member) ? `${member.toLowerCase()}${member.toUpperCase()}` : member;
    i = next;
  }
  return out;
}
