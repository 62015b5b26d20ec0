import type { Member } from '@soc/members';
import {
  attemptCells, bucketOf, cellColumns, cellRow, publishCell, toCsv,
  type AttackDefinition, type MemberDayCount, type PublishedCell, type StatisticsQuery, type CsvValue,
} from '@soc/statistics';
import type { MemberDayQuery } from '@soc/storage';

/** KL's figures are about Danish days: a day is a calendar day in Copenhagen, not in UTC. */
export const STATISTICS_TIME_ZONE = 'Europe/Copenhagen';

export interface StatisticsSettings {
  minMunicipalities: number;
  nameMunicipalities: boolean;
}

/** What the service needs from storage: member-day counts aggregated by Elasticsearch. */
export interface MemberDayCounts {
  memberDayCounts(query: MemberDayQuery): Promise<MemberDayCount[]>;
}

export interface Report<Row> {
  columns: string[];
  rows: Row[];
}

/**
 * Turns a statistics query into published figures: fetches member-day counts of the 98
 * municipalities once, folds them into cells, and suppresses small cells when asked to.
 */
export class StatisticsService {
  private readonly municipalityMembers: Member[];

  constructor(
    private readonly counts: MemberDayCounts,
    private readonly definition: AttackDefinition,
    private readonly attemptQuery: MemberDayQuery['attemptQuery'],
    private readonly categoryFilters: MemberDayQuery['categoryFilters'],
    members: Member[],
    readonly settings: StatisticsSettings,
  ) {
    this.municipalityMembers = members.filter((m) => m.kind === 'municipality');
  }

  get categories(): string[] {
    return this.definition.criteria.map((c) => c.id);
  }

  /** Attempts per municipality per day as a distribution, per time bucket. */
  async attempts(query: StatisticsQuery, suppress: boolean): Promise<Report<PublishedCell>> {
    return this.cells(query, suppress);
  }

  /** The same figures per region (1081–1085). */
  async regions(query: StatisticsQuery, suppress: boolean): Promise<Report<PublishedCell>> {
    const regionOf = new Map(this.municipalityMembers.map((m) => [m.id, m.region_code]));
    return this.cells(query, suppress, (id) => regionOf.get(id));
  }

  /** Named attempts per municipality per bucket: not for publication (see docs/STATISTICS.md). */
  async municipalities(query: StatisticsQuery): Promise<Report<Record<string, CsvValue>>> {
    const byId = new Map(this.municipalityMembers.map((m) => [m.id, m]));
    const rows = new Map<string, Record<string, CsvValue>>();
    for (const count of await this.fetch(query)) {
      const bucket = bucketOf(count.day, query.granularity);
      const key = `${bucket}\u0000${count.memberId}`;
      let row = rows.get(key);
      if (!row) {
        const member = byId.get(count.memberId);
        row = { bucket, municipality: count.memberId, name: member?.name, region: member?.region_code, days: 0, attempts: 0 };
        for (const c of this.categories) row[`category_${c}`] = 0;
        rows.set(key, row);
      }
      row.days = Number(row.days) + 1;
      row.attempts = Number(row.attempts) + count.attempts;
      for (const [c, n] of Object.entries(count.byCategory)) row[`category_${c}`] = Number(row[`category_${c}`]) + n;
    }
    const sorted = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
    return { columns: ['bucket', 'municipality', 'name', 'region', 'days', 'attempts', ...this.categories.map((c) => `category_${c}`)], rows: sorted };
  }

  csv(report: Report<PublishedCell> | Report<Record<string, CsvValue>>, cells: boolean): string {
    const rows = cells ? (report.rows as PublishedCell[]).map(cellRow) : (report.rows as Array<Record<string, CsvValue>>);
    return toCsv(report.columns, rows);
  }

  private async cells(query: StatisticsQuery, suppress: boolean, groupOf?: (id: string) => string | undefined): Promise<Report<PublishedCell>> {
    const cells = attemptCells(await this.fetch(query), {
      threshold: query.threshold, granularity: query.granularity, categories: this.categories, groupOf,
    });
    const rows = cells.map((cell) => (suppress ? publishCell(cell, this.settings.minMunicipalities) : { ...cell, suppressed: false as const }));
    return { columns: cellColumns(this.categories), rows };
  }

  private fetch(query: StatisticsQuery): Promise<MemberDayCount[]> {
    return this.counts.memberDayCounts({
      from: query.from, to: query.to, timeZone: STATISTICS_TIME_ZONE,
      memberIds: this.municipalityMembers.map((m) => m.id),
      attemptQuery: this.attemptQuery, categoryFilters: this.categoryFilters,
    });
  }
}
