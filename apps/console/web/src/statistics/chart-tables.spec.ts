import { figuresOf } from './cell-figures';
import { csvText } from './chart-csv';
import { categoriesTable, mapTable, medianTable, regionsTable, reportingTable, shareTable } from './chart-tables';
import { areasByRegion } from './map-figures';

const small = 'fewer than 5 municipalities or withheld to protect such a cell';
const published = (bucket: string, group: string, figures: { municipalities: number; attempts: number; median: number; share: number }) =>
  figuresOf({
    bucket,
    group,
    suppressed: false,
    municipalities: figures.municipalities,
    municipality_days: figures.municipalities,
    attempts: figures.attempts,
    distribution: { min: 0, q1: figures.median - 1, median: figures.median, q3: figures.median + 1, max: 99 },
    share_above_threshold: figures.share,
    by_category: { failed_authentication: figures.attempts },
  });
const withheld = (bucket: string, group: string) => figuresOf({ bucket, group, suppressed: true, reason: small });
const days = [withheld('2026-10-01', 'all'), published('2026-10-02', 'all', { municipalities: 25, attempts: 500, median: 12, share: 0.24 })];

describe('chart tables', () => {
  it('give each time chart its own figures per bucket, a withheld bucket with its reason and no figure', () => {
    expect(csvText(medianTable(days))).toBe(`bucket,suppressed,reason,q1,median,q3\r\n2026-10-01,true,${small},,,\r\n2026-10-02,false,,11,12,13\r\n`);
    expect(csvText(shareTable(days, 200))).toBe(
      `bucket,suppressed,reason,threshold,share_above_threshold\r\n2026-10-01,true,${small},200,\r\n2026-10-02,false,,200,0.24\r\n`,
    );
    expect(csvText(reportingTable(days))).toBe(`bucket,suppressed,reason,municipalities\r\n2026-10-01,true,${small},\r\n2026-10-02,false,,25\r\n`);
  });

  it('give the categories chart its totals over the period', () => {
    expect(csvText(categoriesTable([{ category: 'failed_authentication', attempts: 500 }], { from: '2026-10-01', to: '2026-10-02' }))).toBe(
      'from,to,category,attempts\r\n2026-10-01,2026-10-02,failed_authentication,500\r\n',
    );
  });

  it("give the regions chart each region's cell by code and name, a withheld region never as 0", () => {
    const regions = [withheld('2026-10-02', '1081'), published('2026-10-02', '1084', { municipalities: 6, attempts: 120, median: 20, share: 0 })];
    expect(csvText(regionsTable(regions))).toBe(
      'bucket,group,region,suppressed,reason,municipalities,attempts,median,share_above_threshold\r\n' +
        `2026-10-02,1081,Region Nordjylland,true,${small},,,,\r\n` +
        '2026-10-02,1084,Region Hovedstaden,false,,6,120,20,0\r\n',
    );
  });

  it('give the map each municipality: the figure shown and where it comes from, withheld with the reason, or no data', () => {
    const municipalities = [
      { code: '0773', name: 'Morsø', region_code: '1081' },
      { code: '0101', name: 'København', region_code: '1084' },
      { code: '0320', name: 'Faxe', region_code: '1085' },
    ];
    const regions = [withheld('2026-10-02', '1081'), published('2026-10-02', '1084', { municipalities: 6, attempts: 120, median: 20, share: 0 })];
    expect(csvText(mapTable('2026-10-02', areasByRegion(municipalities, regions, '2026-10-02')))).toBe(
      'bucket,municipality,name,region,shown,suppressed,reason,attempts_per_day\r\n' +
        `2026-10-02,0773,Morsø,1081,region,true,${small},\r\n` +
        '2026-10-02,0101,København,1084,region,false,,20\r\n' +
        '2026-10-02,0320,Faxe,1085,no_data,false,,\r\n',
    );
  });
});
