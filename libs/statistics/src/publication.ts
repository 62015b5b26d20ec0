import type { AttemptCell } from './attempt-statistics';
import { addDays, bucketsBetween, type Granularity } from './calendar';

export interface WithheldCell {
  bucket: string;
  group: string;
  suppressed: true;
  reason: string;
}

/** A cell as published: its figures, or none of them (the municipality count included). */
export type PublishedCell = (AttemptCell & { suppressed: false }) | WithheldCell;

export interface PublicationRules {
  /** A cell over fewer municipalities than this is withheld (STATISTICS_MIN_MUNICIPALITIES). */
  minMunicipalities: number;
  /** The groups that partition `all`: the five regions, always all of them. */
  regions: readonly string[];
  /** Today in the statistics time zone. */
  today: string;
  /** Days after its end before a cell is final (STATISTICS_FINAL_AFTER_DAYS). */
  finalAfterDays: number;
}

export const NATIONAL = 'all';
const key = (day: string, group: string) => `${day}\u0000${group}`;

/** The first day on which a cell ending on `lastDay` is final: no event of it can still arrive. */
export const finalOn = (lastDay: string, rules: PublicationRules) => addDays(lastDay, 1 + rules.finalAfterDays);
const notFinal = (lastDay: string, rules: PublicationRules) => `not final before ${finalOn(lastDay, rules)}`;
export const smallCellReason = (rules: PublicationRules) => `fewer than ${rules.minMunicipalities} municipalities or withheld to protect such a cell`;
export const withheldDayReason = 'a day of this cell is withheld';

/**
 * Which day cells (day × `all` and each region) are withheld, and why. The rule every figure
 * KL can add or subtract must keep (docs/STATISTICS.md, "What an adversary can and cannot learn"):
 * - a day that is not final yet is withheld whole, every group, so asking again later cannot
 *   difference late events out of it;
 * - a cell over fewer than `minMunicipalities` municipalities is withheld (primary suppression);
 * - `all` is the sum of the regions, so when `all` is published and the withheld regions of a day
 *   cover 1 to minMunicipalities - 1 municipalities, more regions are withheld (fewest
 *   municipalities first, then by code) until together they cover at least minMunicipalities:
 *   `all` minus the published regions is then a figure over at least that many municipalities,
 *   never one small cell (complementary suppression). Withheld regions covering no municipality
 *   hide nothing and need no complement.
 * The decision for a day depends on that day's population only, so every request and every
 * endpoint withholds the same cells.
 */
export function withheldDays(days: readonly string[], municipalitiesOf: (day: string, group: string) => number, rules: PublicationRules): Map<string, string> {
  const withheld = new Map<string, string>();
  const small = smallCellReason(rules);
  for (const day of days) {
    if (finalOn(day, rules) > rules.today) {
      for (const group of [NATIONAL, ...rules.regions]) withheld.set(key(day, group), notFinal(day, rules));
      continue;
    }
    const nationalSmall = municipalitiesOf(day, NATIONAL) < rules.minMunicipalities;
    if (nationalSmall) withheld.set(key(day, NATIONAL), small);
    const regions = rules.regions.map((group) => ({ group, municipalities: municipalitiesOf(day, group) }));
    const hidden = regions.filter((r) => r.municipalities < rules.minMunicipalities);
    let covered = hidden.reduce((n, r) => n + r.municipalities, 0);
    if (!nationalSmall && covered > 0) {
      const complements = regions
        .filter((r) => r.municipalities >= rules.minMunicipalities)
        .sort((a, b) => a.municipalities - b.municipalities || (a.group < b.group ? -1 : 1));
      for (const complement of complements) {
        if (covered >= rules.minMunicipalities) break;
        hidden.push(complement);
        covered += complement.municipalities;
      }
    }
    for (const region of hidden) withheld.set(key(day, region.group), small);
  }
  return withheld;
}

/**
 * Every cell of the requested buckets × (`all` and each region), published or withheld. A week,
 * month or year is published only when it is final, covers enough municipalities, and none of
 * its days is withheld while holding data: then it is the sum of published day cells and adds
 * nothing a subtraction could isolate. The answer always has every bucket and group, so its
 * shape tells nothing either.
 */
export function publishTable(
  query: { from: string; to: string; granularity: Granularity },
  dayCells: readonly AttemptCell[],
  cells: readonly AttemptCell[],
  rules: PublicationRules,
): PublishedCell[] {
  const dayPopulation = new Map(dayCells.map((c) => [key(c.bucket, c.group), c.municipalities]));
  const municipalitiesOf = (day: string, group: string) => dayPopulation.get(key(day, group)) ?? 0;
  const buckets = bucketsBetween(query.from, query.to, query.granularity);
  const withheld = withheldDays(
    buckets.flatMap((b) => b.days),
    municipalitiesOf,
    rules,
  );
  const cellOf = new Map(cells.map((c) => [key(c.bucket, c.group), c]));
  const published: PublishedCell[] = [];
  for (const { bucket, days } of buckets) {
    for (const group of [NATIONAL, ...rules.regions]) {
      const cell = cellOf.get(key(bucket, group));
      const lastDay = days[days.length - 1];
      const reason =
        finalOn(lastDay, rules) > rules.today
          ? notFinal(lastDay, rules)
          : query.granularity === 'day'
            ? withheld.get(key(bucket, group))
            : !cell || cell.municipalities < rules.minMunicipalities
              ? smallCellReason(rules)
              : days.some((day) => withheld.has(key(day, group)) && municipalitiesOf(day, group) > 0)
                ? withheldDayReason
                : undefined;
      if (reason !== undefined || !cell) published.push({ bucket, group, suppressed: true, reason: reason ?? smallCellReason(rules) });
      else published.push({ ...cell, suppressed: false });
    }
  }
  return published;
}
