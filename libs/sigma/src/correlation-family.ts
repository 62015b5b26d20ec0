import type { CompiledCorrelation, CompiledDetectionRule, CorrelationTap } from './compiled-rule';
import type { CorrelationType } from './rule.schema';
import { FieldReader } from './match-context';

/**
 * Correlations that would keep identical windows share one. A SOC tunes a correlation per
 * environment by copying it with another threshold or timespan; the copy is fed by the same base
 * rules, groups by the same fields and counts the same values, so both would store the same entries
 * for the same groups. A family stores them once, for its longest timespan, and each member decides
 * on the entries its own window would hold: those within its own timespan and lateness of the
 * watermark, and after the last window it fired on (per-member marks, `StoredWindow.fired`). A member
 * therefore fires exactly when it would alone (a spec compares the two); only the counters of late,
 * suppressed and evicted entries are kept once per family rather than once per member.
 */
export interface CorrelationFamily {
  /** The window scope's prefix: the correlation's id alone, or `family:` and the members' ids. */
  id: string;
  type: CorrelationType;
  crossMember: boolean;
  members: readonly CompiledCorrelation[];
  /** The longest member timespan: the family keeps entries for it. */
  timespanMs: number;
}

/** How a base rule's match enters one family's windows (the `CorrelationTap` of its members, shared). */
export interface FamilyTap extends Omit<CorrelationTap, 'correlation'> {
  family: CorrelationFamily;
}

/**
 * Groups the correlations into families and gives each detection rule its family taps, by rule slot.
 * Two correlations are in one family when their type and cross-member scope match and, step by step,
 * the same base rule feeds them with the same group-by and counted field readers (readers are shared
 * per field path, so identity decides).
 */
export function formFamilies(rules: readonly CompiledDetectionRule[], correlations: readonly CompiledCorrelation[]): FamilyTap[][] {
  const tapsOf = new Map<CompiledCorrelation, { rule: CompiledDetectionRule; tap: CorrelationTap }[]>();
  for (const correlation of correlations) tapsOf.set(correlation, []);
  for (const rule of rules) for (const tap of rule.taps) tapsOf.get(tap.correlation)?.push({ rule, tap });

  const readerIds = new Map<unknown, number>();
  const idOf = (thing: unknown): number => {
    let id = readerIds.get(thing);
    if (id === undefined) {
      id = readerIds.size;
      readerIds.set(thing, id);
    }
    return id;
  };
  const byShape = new Map<string, CompiledCorrelation[]>();
  for (const correlation of correlations) {
    const taps = [...(tapsOf.get(correlation) ?? [])].sort((a, b) => a.tap.member - b.tap.member);
    const shape = JSON.stringify([
      correlation.type,
      correlation.crossMember,
      correlation.sequenceLength,
      taps.map(({ rule, tap }) => [tap.member, idOf(rule), tap.groupReaders.map(idOf), tap.valueReaders.map(idOf)]),
    ]);
    const members = byShape.get(shape);
    if (members === undefined) byShape.set(shape, [correlation]);
    else members.push(correlation);
  }

  const familyOf = new Map<CompiledCorrelation, CorrelationFamily>();
  for (const members of byShape.values()) {
    const family: CorrelationFamily = {
      id:
        members.length === 1
          ? members[0].ref.id
          : `family:${members
              .map((m) => m.ref.id)
              .sort()
              .join(',')}`,
      type: members[0].type,
      crossMember: members[0].crossMember,
      members,
      timespanMs: Math.max(...members.map((m) => m.timespanMs)),
    };
    for (const member of members) familyOf.set(member, family);
  }

  // Each rule feeds each family once per step, whichever member's tap it came from.
  return rules.map((rule) => {
    const seen = new Set<string>();
    const taps: FamilyTap[] = [];
    for (const { correlation, ...tap } of rule.taps) {
      const family = familyOf.get(correlation);
      if (family === undefined) continue;
      const key = `${family.id}\u0000${tap.member}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // Readers of the tap's own: the generated `read` of a field every rule shares sees every event
      // shape the rules meet (thousands with SigmaHQ's), and so reads by slow generic look-ups; the
      // tap's copy sees only the events of its base rule.
      taps.push({ ...tap, groupReaders: tap.groupReaders.map(ownReader), valueReaders: tap.valueReaders.map(ownReader), family });
    }
    return taps;
  });
}

function ownReader(shared: FieldReader): FieldReader {
  return new FieldReader(shared.id, shared.paths);
}
