import { PatternPart, SigmaString } from './sigma-string';

/**
 * Sigma value modifiers (`Field|mod1|mod2`): which ones we support, which combinations make sense,
 * and the value transformations (wildcard placement, windash, Base64, UTF-16). A combination we
 * cannot evaluate exactly is rejected rather than approximated.
 */

/** Modifiers that give the value a different type: it is no longer a string pattern. */
export const typeModifiers = ['re', 'cidr', 'exists', 'gt', 'gte', 'lt', 'lte', 'fieldref'] as const;
export type TypeModifier = (typeof typeModifiers)[number];

const positionModifiers = ['contains', 'startswith', 'endswith'] as const;
const utf16Modifiers = ['wide', 'utf16le', 'utf16be', 'utf16'] as const;
const base64Modifiers = ['base64', 'base64offset'] as const;
export type Utf16Modifier = (typeof utf16Modifiers)[number];

/** Transformations applied to string values, in the order the rule lists them. */
export type StringTransform = (typeof positionModifiers)[number] | (typeof utf16Modifiers)[number] | (typeof base64Modifiers)[number] | 'windash';

const regexFlags = ['i', 'm', 's'] as const;
const flags = ['all', 'cased'] as const;

/** Part of the Sigma specification, but nothing we can evaluate exactly. */
const unsupported: Readonly<Record<string, string>> = {
  expand: 'placeholders need a lookup the engine does not have',
  neq: 'not supported yet',
  minute: 'time-part modifiers are not supported',
  hour: 'time-part modifiers are not supported',
  day: 'time-part modifiers are not supported',
  week: 'time-part modifiers are not supported',
  month: 'time-part modifiers are not supported',
  year: 'time-part modifiers are not supported',
};

const known = new Set<string>([...typeModifiers, ...positionModifiers, ...utf16Modifiers, ...base64Modifiers, 'windash', ...regexFlags, ...flags]);

export interface ModifierChain {
  /** The Sigma field name; empty for a keyword search (`'|all': [...]`). */
  field: string;
  modifiers: readonly string[];
  all: boolean;
  cased: boolean;
  type?: TypeModifier;
  /** JavaScript flags from the `re` sub-modifiers i, m, s. */
  regexFlags: string;
  transforms: readonly StringTransform[];
}

export function parseFieldKey(key: string): { chain: ModifierChain } | { error: string } {
  const [field, ...modifiers] = key.split('|');
  const seen = new Set<string>();
  for (const modifier of modifiers) {
    if (modifier in unsupported) return { error: `modifier '${modifier}' is not supported: ${unsupported[modifier]}` };
    if (!known.has(modifier)) return { error: `unknown modifier '${modifier}'` };
    if (seen.has(modifier)) return { error: `modifier '${modifier}' is given twice` };
    seen.add(modifier);
  }
  const types = modifiers.filter((m): m is TypeModifier => (typeModifiers as readonly string[]).includes(m));
  const transforms = modifiers.filter((m): m is StringTransform => !(typeModifiers as readonly string[]).includes(m) && !isFlag(m));
  const conflict =
    pair(types) ??
    pair(modifiers.filter((m) => (positionModifiers as readonly string[]).includes(m))) ??
    pair(modifiers.filter((m) => (base64Modifiers as readonly string[]).includes(m))) ??
    pair(modifiers.filter((m) => (utf16Modifiers as readonly string[]).includes(m))) ??
    (types.length > 0 && transforms.length > 0 ? [types[0], transforms[0]] : undefined) ??
    (types.length > 0 && seen.has('cased') ? [types[0], 'cased'] : undefined) ??
    (types.length > 0 && types[0] !== 're' && types[0] !== 'fieldref' && seen.has('all') ? [types[0], 'all'] : undefined);
  if (conflict) return { error: `modifiers '${conflict[0]}' and '${conflict[1]}' cannot be combined` };

  const flagsWithoutRe = modifiers.find((m) => (regexFlags as readonly string[]).includes(m) && !seen.has('re'));
  if (flagsWithoutRe) return { error: `regular expression flag '${flagsWithoutRe}' needs the 're' modifier` };

  const orderError = checkTransformOrder(transforms);
  if (orderError) return { error: orderError };

  return {
    chain: {
      field,
      modifiers,
      all: seen.has('all'),
      cased: seen.has('cased'),
      type: types[0],
      regexFlags: regexFlags.filter((f) => seen.has(f)).join(''),
      transforms,
    },
  };
}

/**
 * PCRE's option setting at the very start of a pattern (`(?i)`, `(?s)`, `(?im)`, ...) applies to the
 * whole pattern, as the same JavaScript flags do; SigmaHQ writes case-insensitive regexes so. An
 * inline option anywhere else covers only part of the pattern, which JavaScript cannot express:
 * such a pattern does not compile and the rule stays rejected.
 */
export function leadingRegexOptions(source: string, flags: string): { source: string; flags: string } {
  const options = /^\(\?([ims]+)\)/.exec(source);
  if (!options) return { source, flags };
  return { source: source.slice(options[0].length), flags: [...new Set([...flags, ...options[1]])].sort().join('') };
}

function isFlag(modifier: string): boolean {
  return (flags as readonly string[]).includes(modifier) || (regexFlags as readonly string[]).includes(modifier);
}

function pair(list: readonly string[]): [string, string] | undefined {
  return list.length > 1 ? [list[0], list[1]] : undefined;
}

/** Encodings only make sense in a fixed order: UTF-16 then Base64, and Base64 offsets are substrings. */
function checkTransformOrder(transforms: readonly StringTransform[]): string | undefined {
  for (let i = 0; i < transforms.length; i++) {
    const t = transforms[i];
    if ((utf16Modifiers as readonly string[]).includes(t) && !(base64Modifiers as readonly string[]).includes(transforms[i + 1] ?? '')) {
      return `'${t}' must be followed by base64 or base64offset`;
    }
    if (t === 'base64offset' && !transforms.slice(i + 1).includes('contains')) {
      return "'base64offset' must be followed by contains: its values are fragments of a longer Base64 text";
    }
  }
  return undefined;
}

/** Applies the string transformations to one value; a value may expand into several (OR-ed). */
export function transformValue(value: SigmaString, transforms: readonly StringTransform[]): { values: SigmaString[] } | { error: string } {
  let values = [value];
  let encoding: Utf16Modifier | undefined;
  for (const transform of transforms) {
    switch (transform) {
      case 'contains':
        values = values.map((v) => v.withLeadingStar().withTrailingStar());
        break;
      case 'startswith':
        values = values.map((v) => v.withTrailingStar());
        break;
      case 'endswith':
        values = values.map((v) => v.withLeadingStar());
        break;
      case 'windash': {
        const expanded = values.flatMap(windashVariants);
        if (expanded.length > maxWindashVariants)
          return { error: `windash would expand this value into ${expanded.length} variants (at most ${maxWindashVariants})` };
        values = expanded;
        break;
      }
      case 'wide':
      case 'utf16le':
      case 'utf16be':
      case 'utf16':
        encoding = transform;
        break;
      case 'base64':
      case 'base64offset': {
        if (values.some((v) => v.hasWildcards)) return { error: `'${transform}' cannot encode wildcards; escape * and ? as \\* and \\?` };
        const bytes = values.map((v) => encode(v.plain, encoding));
        values =
          transform === 'base64'
            ? bytes.map((b) => SigmaString.literal(b.toString('base64')))
            : bytes.flatMap((b) => base64OffsetFragments(b).map((f) => SigmaString.literal(f)));
        encoding = undefined;
        break;
      }
    }
  }
  return { values };
}

function encode(text: string, encoding: Utf16Modifier | undefined): Buffer {
  if (encoding === undefined) return Buffer.from(text, 'utf8');
  const le = Buffer.from(text, 'utf16le');
  if (encoding === 'wide' || encoding === 'utf16le') return le;
  if (encoding === 'utf16') return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  return Buffer.from(le).swap16();
}

/**
 * The three Base64 renderings of `bytes` preceded by 0, 1 or 2 unknown bytes, cut to the characters
 * that depend on `bytes` alone: the first 0/2/3 characters mix in the unknown prefix, and the last
 * characters of a partial group mix in whatever follows.
 */
export function base64OffsetFragments(bytes: Buffer): string[] {
  const leadingCut = [0, 2, 3];
  const trailingCut = [0, 3, 2];
  const fragments: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const shifted = Buffer.concat([Buffer.alloc(shift), bytes]);
    const encoded = shifted.toString('base64');
    const end = encoded.length - trailingCut[shifted.length % 3];
    fragments.push(encoded.slice(leadingCut[shift], end));
  }
  return fragments;
}

const dashes = ['-', '/', '\u2013', '\u2014', '\u2015'];
const maxWindashVariants = 625;

/**
 * Windows accepts `-flag`, `/flag` and typographic dashes alike. A dash starts a flag when it begins
 * the value (or follows a wildcard or a non-word character) and a word character follows it; each
 * such position takes every dash variant.
 */
export function windashVariants(value: SigmaString): SigmaString[] {
  const tokens: PatternPart[] = value.parts.flatMap((p): PatternPart[] => (typeof p === 'string' ? [...p] : [p]));
  const positions: number[] = [];
  tokens.forEach((token, i) => {
    if (typeof token !== 'string' || !dashes.includes(token)) return;
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    const startsFlag = before === undefined || typeof before !== 'string' || !/\w/.test(before);
    if (startsFlag && typeof after === 'string' && /\w/.test(after)) positions.push(i);
  });
  let variants: PatternPart[][] = [tokens];
  for (const position of positions) {
    variants = variants.flatMap((v) => dashes.map((dash) => v.map((t, i) => (i === position ? dash : t))));
  }
  return variants.map((v) => SigmaString.of(v));
}
