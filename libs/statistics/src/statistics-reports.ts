import { municipalities, regions, type Member } from '@soc/members';
import type { AttackDefinition } from './attack-definition';
import { attemptCells, type AttemptCell } from './attempt-statistics';
import { bucketOf, type Granularity } from './calendar';
import { cellColumns, cellRow } from './cell-rows';
import { toCsv, type CsvValue } from './csv';
import type { MemberDayCount } from './member-day-count';
import type { MemberDayQuery } from './member-day-query';
import { memberBenchmark, type MemberBenchmark } from './member-benchmark';
import type { CountSource, SourcedMemberDayCounts } from './rollup-coverage';
import { NATIONAL, publishTable, type PublishedCell } from './publication';
import type { StatisticsQuery } from './statistics-query.schema';

/** KL's figures are about Danish days: a day is a calendar day in Copenhagen, not in UTC. */
export const STATISTICS_TIME_ZONE = 'Europe/Copenhagen';
/** The fixed region set: every regional answer has all five, whatever the data. */
export const REGION_CODES = Object.keys(regions) as Array<keyof typeof regions>;

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface StatisticsSettings {
  /** Attempts a day counted "above" (STATISTICS_THRESHOLD); configuration, never a query parameter. */
  threshold: number;
  minMunicipalities: number;
  nameMunicipalities: boolean;
  /** Days after its last day before a cell is published (STATISTICS_FINAL_AFTER_DAYS). */
  finalAfterDays: number;
}

/** What the reports need from storage: member-day counts aggregated by Elasticsearch (libs/storage `StatisticsRepository`). */
export interface MemberDayCounts {
  memberDayCounts(query: MemberDayQuery): Promise<MemberDayCount[]>;
}

export interface Report<Row> {
  columns: string[];
  rows: Row[];
  /** Which days came from the daily roll-ups and which from raw events (docs/STATISTICS.md, Roll-ups). */
  source: CountSource;
}

/** Today's date in Copenhagen, `YYYY-MM-DD` (the `en-CA` locale writes dates that way). */
export const copenhagenToday = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: STATISTICS_TIME_ZONE }).format(new Date());

/**
 * Turns a statistics query into figures: fetches member-day counts of the 98 municipalities
 * once, folds them into cells, and, for a publication (KL), withholds cells by the rules of
 * `publishTable` (publication.ts): small cells and their complements, cells holding a withheld
 * day, and cells that are not final. The national and the regional cells are always decided
 * together, whichever endpoint asks, so no two answers withhold differently.
 */
export class StatisticsReports {
  private readonly municipalityMembers: Member[];
  private readonly regionOf: Map<string, string>;

  constructor(
    private readonly counts: MemberDayCounts | SourcedMemberDayCounts,
    private readonly definition: AttackDefinition,
    private readonly attemptQuery: MemberDayQuery['attemptQuery'],
    private readonly categoryFilters: MemberDayQuery['categoryFilters'],
    members: Member[],
    readonly settings: StatisticsSettings,
    private readonly today: () => string = copenhagenToday,
  ) {
    // The population is the 98 built-in municipalities with their built-in regions, whatever a
    // members file says: a municipality outside every region would make `all` minus the regions
    // that one municipality's figures.
    this.regionOf = new Map(municipalities.map((m) => [m.code, m.region_code]));
    this.municipalityMembers = members.filter((m) => this.regionOf.has(m.id));
  }

  get categories(): string[] {
    return this.definition.criteria.map((c) => c.id);
  }

  /** Attempts per municipality per day as a distribution, per time bucket, nationally. */
  async attempts(query: StatisticsQuery, publication: boolean): Promise<Report<PublishedCell>> {
    return this.report(query, publication, (group) => group === NATIONAL);
  }

  /** The same figures per region (1081–1085). */
  async regions(query: StatisticsQuery, publication: boolean): Promise<Report<PublishedCell>> {
    return this.report(query, publication, (group) => group !== NATIONAL);
  }

  /** Named attempts per municipality per bucket: not for publication (see docs/STATISTICS.md). */
  async municipalities(query: StatisticsQuery): Promise<Report<Record<string, CsvValue>>> {
    const byId = new Map(this.municipalityMembers.map((m) => [m.id, m]));
    const categories = this.categories;
    const categoryIndex = new Map(categories.map((c, i) => [c, i]));
    const { counts, source } = await this.fetch(query);
    // Sums in numbers and typed arrays, turned into rows once at the end: a year per day is 36k rows.
    const sums = new Map<string, Map<string, { days: number; attempts: number; byCategory: Float64Array }>>();
    const bucketOfDay = new Map<string, string>();
    for (const count of counts) {
      let bucket = bucketOfDay.get(count.day);
      if (bucket === undefined) bucketOfDay.set(count.day, (bucket = bucketOf(count.day, query.granularity)));
      let ofBucket = sums.get(bucket);
      if (!ofBucket) sums.set(bucket, (ofBucket = new Map()));
      let sum = ofBucket.get(count.memberId);
      if (!sum) ofBucket.set(count.memberId, (sum = { days: 0, attempts: 0, byCategory: new Float64Array(categories.length) }));
      sum.days += 1;
      sum.attempts += count.attempts;
      for (const category in count.byCategory) {
        const index = categoryIndex.get(category);
        if (index !== undefined) sum.byCategory[index] += count.byCategory[category];
      }
    }
    const rows: Array<Record<string, CsvValue>> = [];
    for (const bucket of [...sums.keys()].sort(byCodeUnits)) {
      const ofBucket = sums.get(bucket)!;
      for (const memberId of [...ofBucket.keys()].sort(byCodeUnits)) {
        const sum = ofBucket.get(memberId)!;
        const member = byId.get(memberId);
        const row: Record<string, CsvValue> = {
          bucket,
          municipality: memberId,
          name: member?.name,
          region: member?.region_code,
          days: sum.days,
          attempts: sum.attempts,
        };
        categories.forEach((c, i) => (row[`category_${c}`] = sum.byCategory[i]));
        rows.push(row);
      }
    }
    return { columns: ['bucket', 'municipality', 'name', 'region', 'days', 'attempts', ...categories.map((c) => `category_${c}`)], rows, source };
  }

  /**
   * One municipality's own attempts against the national cells as published to KL (suppressed
   * included): its own member-day counts are fetched for it alone, so no other municipality's
   * number is read into the answer. A member that is not one of the 98 has no benchmark (null).
   */
  async benchmark(query: StatisticsQuery, memberId: string): Promise<MemberBenchmark | null> {
    if (!this.regionOf.has(memberId)) return null;
    const [own, national] = await Promise.all([
      this.counts.memberDayCounts({
        from: query.from,
        to: query.to,
        timeZone: STATISTICS_TIME_ZONE,
        memberIds: [memberId],
        attemptQuery: this.attemptQuery,
        categoryFilters: this.categoryFilters,
      }),
      this.attempts(query, true),
    ]);
    return memberBenchmark(memberId, query, own, national.rows);
  }

  csv(report: Report<PublishedCell> | Report<Record<string, CsvValue>>, cells: boolean): string {
    const rows = cells ? (report.rows as PublishedCell[]).map(cellRow) : (report.rows as Array<Record<string, CsvValue>>);
    return toCsv(report.columns, rows);
  }

  /**
   * A publication has every bucket × group of the query, published or withheld; SOC roles see
   * every cell that has data, unsuppressed and including days that are not final yet.
   */
  private async report(query: StatisticsQuery, publication: boolean, wanted: (group: string) => boolean): Promise<Report<PublishedCell>> {
    const { counts, source } = await this.fetch(query);
    const cells = this.cellsAt(counts, query.granularity);
    const rows = publication
      ? publishTable(query, query.granularity === 'day' ? cells : this.cellsAt(counts, 'day'), cells, {
          minMunicipalities: this.settings.minMunicipalities,
          regions: REGION_CODES,
          today: this.today(),
          finalAfterDays: this.settings.finalAfterDays,
        })
      : cells.map((cell) => ({ ...cell, suppressed: false as const }));
    return { columns: cellColumns(this.categories), rows: rows.filter((row) => wanted(row.group)), source };
  }

  /** The national cells and the regional cells of each bucket, ordered by bucket then group. */
  private cellsAt(counts: MemberDayCount[], granularity: Granularity): AttemptCell[] {
    const options = { threshold: this.settings.threshold, granularity, categories: this.categories };
    return [...attemptCells(counts, options), ...attemptCells(counts, { ...options, groupOf: (id) => this.regionOf.get(id) })].sort((a, b) =>
      a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0,
    );
  }

  /** Counts from the roll-ups where they cover the period (when the source can read them), raw events otherwise. */
  private async fetch(query: StatisticsQuery): Promise<{ counts: MemberDayCount[]; source: CountSource }> {
    const q: MemberDayQuery = {
      from: query.from,
      to: query.to,
      timeZone: STATISTICS_TIME_ZONE,
      memberIds: this.municipalityMembers.map((m) => m.id),
      attemptQuery: this.attemptQuery,
      categoryFilters: this.categoryFilters,
    };
    if ('countsWithSource' in this.counts) return this.counts.countsWithSource(q);
    return { counts: await this.counts.memberDayCounts(q), source: { rollup: null, raw: [[query.from, query.to]] } };
  }
}
