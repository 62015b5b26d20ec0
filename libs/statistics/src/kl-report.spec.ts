import { attemptCells } from './attempt-statistics';
import { cellRow } from './cell-rows';
import { danishNumber, danishPercent } from './danish-format';
import { klReportCsv, previousMonthOf, type KlReportData } from './kl-report';
import { danishReason, renderKlReportHtml } from './kl-report-html';
import type { MemberDayCount } from './member-day-count';
import { publishTable, type PublishedCell } from './publication';

const categories = ['failed_authentication', 'blocked_connection', 'indicator_hit', 'detection'];
const regionCodes = ['1081', '1082', '1083', '1084', '1085'];
const rules = { minMunicipalities: 5, regions: regionCodes, today: '2026-12-02', finalAfterDays: 31 };

/** 27 municipalities, 6 per region, except region 1085 with 3 members whose counts are unmistakable (98765 a day). */
function population(): { counts: MemberDayCount[]; regionOf: (id: string) => string } {
  const members = [
    ...Array.from({ length: 24 }, (_, i) => ({ id: `m${i}`, region: regionCodes[i % 4] })),
    ...['s0', 's1', 's2'].map((id) => ({ id, region: '1085' })),
  ];
  const counts: MemberDayCount[] = [];
  for (const month of ['2026-02', '2026-03'])
    for (let d = 1; d <= 28; d++)
      for (const [n, m] of members.entries()) {
        const attempts = m.region === '1085' ? 98765 : (n * 13 + d * 7) % 300;
        counts.push({
          memberId: m.id,
          day: `${month}-${String(d).padStart(2, '0')}`,
          attempts,
          byCategory: { failed_authentication: attempts, blocked_connection: 0, indicator_hit: 0, detection: 0 },
        });
      }
  const regionOf = new Map(members.map((m) => [m.id, m.region]));
  return { counts, regionOf: (id) => regionOf.get(id) as string };
}

function published(counts: MemberDayCount[], regionOf: (id: string) => string, from: string, to: string, granularity: 'day' | 'month'): PublishedCell[] {
  const inPeriod = counts.filter((c) => c.day >= from && c.day <= to);
  const cellsAt = (g: 'day' | 'month') => {
    const options = { threshold: 200, granularity: g, categories };
    return [...attemptCells(inPeriod, options), ...attemptCells(inPeriod, { ...options, groupOf: regionOf })];
  };
  return publishTable({ from, to, granularity }, cellsAt('day'), cellsAt(granularity), rules);
}

function reportOf(): { data: KlReportData; api: PublishedCell[] } {
  const { counts, regionOf } = population();
  const month = published(counts, regionOf, '2026-03-01', '2026-03-31', 'month');
  const previous = published(counts, regionOf, '2026-02-01', '2026-02-28', 'month');
  const days = published(counts, regionOf, '2026-03-01', '2026-03-31', 'day');
  const data: KlReportData = {
    month: '2026-03',
    previousMonth: '2026-02',
    threshold: 200,
    minMunicipalities: 5,
    finalAfterDays: 31,
    categories,
    current: month[0],
    previous: previous[0],
    days: days.filter((c) => c.group === 'all'),
    regions: month.filter((c) => c.group !== 'all'),
    madeOn: '2026-12-02',
  };
  return { data, api: [...month, ...previous, ...days] };
}

describe('KL report', () => {
  it('names the previous month across a year', () => {
    expect(previousMonthOf('2026-01')).toBe('2025-12');
    expect(previousMonthOf('2026-03')).toBe('2026-02');
  });

  it("publishes in its CSV exactly rows the API publishes, and nothing of a withheld region's members", () => {
    const { data, api } = reportOf();
    const apiRows = new Set(api.map((cell) => JSON.stringify(cellRow(cell))));
    const [header, ...lines] = klReportCsv(data).trimEnd().split('\r\n');
    expect(header.startsWith('table,bucket,group,suppressed,reason,')).toBe(true);
    expect(lines).toHaveLength(1 + 1 + 31 + 5);
    for (const cell of [data.current, data.previous, ...data.days, ...data.regions]) expect(apiRows.has(JSON.stringify(cellRow(cell)))).toBe(true);
    // Region 1085 (3 municipalities) is withheld; its month total (3 x 98765 x 28) appears nowhere. (The
    // national max is one of its members' 98765: a published cell's max is one unnamed municipality's
    // count, a remaining risk docs/STATISTICS.md names.)
    expect(data.regions.find((c) => c.group === '1085')).toMatchObject({ suppressed: true });
    const html = renderKlReportHtml(data);
    for (const text of [klReportCsv(data), html]) {
      expect(text).not.toContain(String(3 * 98765 * 28));
      expect(text).not.toContain(danishNumber(3 * 98765 * 28, 0));
    }
  });

  it('shows the headline figures of the published month cell in Danish, with the previous month', () => {
    const { data } = reportOf();
    const html = renderKlReportHtml(data);
    if (data.current.suppressed || data.previous.suppressed) throw new Error('the month cells of this population are published');
    expect(html).toContain('<html lang="da">');
    expect(html).toContain(`>${danishNumber(data.current.municipalities)}<`);
    expect(html).toContain(`>${danishNumber(data.current.distribution.median)}<`);
    expect(html).toContain(`>${danishNumber(data.current.distribution.q1)}–${danishNumber(data.current.distribution.q3)}<`);
    expect(html).toContain(`>${danishPercent(data.current.share_above_threshold)}<`);
    expect(html).toContain(`Forrige måned: ${danishPercent(data.previous.share_above_threshold)}`);
    expect(html).toContain('data:text/csv;charset=utf-8;base64,');
    expect(html).not.toMatch(/<script|(src|href)="https?:/);
  });

  it('says why a withheld month is withheld instead of showing figures', () => {
    const { data } = reportOf();
    const withheld: KlReportData = { ...data, current: { bucket: '2026-03', group: 'all', suppressed: true, reason: 'not final before 2026-05-01' } };
    const html = renderKlReportHtml(withheld);
    expect(html).toContain('tilbageholdt (ikke endelig før 1. maj 2026)');
  });

  it('translates every publication reason', () => {
    expect(danishReason('fewer than 5 municipalities or withheld to protect such a cell')).toBe(
      'færre end 5 kommuner, eller tilbageholdt for at beskytte en sådan celle',
    );
    expect(danishReason('a day of this cell is withheld')).toBe('en dag i perioden er tilbageholdt');
    expect(danishReason('not final before 2027-01-01')).toBe('ikke endelig før 1. januar 2027');
  });
});
