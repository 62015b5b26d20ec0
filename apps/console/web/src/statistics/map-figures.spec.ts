import { figuresOf } from './cell-figures';
import { areasByMunicipality, areasByRegion, largestShown, municipalityRowOf } from './map-figures';

const municipalities = [
  { code: '0773', name: 'Morsø', region_code: '1081' },
  { code: '0101', name: 'København', region_code: '1084' },
  { code: '0147', name: 'Frederiksberg', region_code: '1084' },
];
const small = 'fewer than 5 municipalities or withheld to protect such a cell';

describe('areasByRegion', () => {
  const regions = [
    figuresOf({ bucket: '2026-10-02', group: '1081', suppressed: true, reason: small }),
    figuresOf({
      bucket: '2026-10-02',
      group: '1084',
      suppressed: false,
      municipalities: 6,
      attempts: 120,
      distribution: { min: 1, q1: 10, median: 20, q3: 30, max: 40 },
      share_above_threshold: 0,
    }),
    figuresOf({ bucket: '2026-10-01', group: '1081', suppressed: false, municipalities: 6 }),
  ];

  it("colours a municipality by its region's published median, and withholds it with its region, with the reason", () => {
    expect(areasByRegion(municipalities, regions, '2026-10-02')).toEqual([
      { code: '0773', name: 'Morsø', region: '1081', state: 'withheld', source: 'region', reason: small },
      { code: '0101', name: 'København', region: '1084', state: 'shown', source: 'region', value: 20 },
      { code: '0147', name: 'Frederiksberg', region: '1084', state: 'shown', source: 'region', value: 20 },
    ]);
  });

  it('reads only the chosen bucket: a region the answer lacks for it has no data', () => {
    expect(areasByRegion(municipalities, regions, '2026-10-01').map((a) => a.state)).toEqual(['withheld', 'no-data', 'no-data']);
  });
});

describe('areasByMunicipality', () => {
  it('colours each municipality by its own attempts per day in the bucket; one without a row has no data (never 0)', () => {
    const rows = [
      { bucket: '2026-W40', municipality: '0101', days: 7, attempts: 70 },
      { bucket: '2026-W39', municipality: '0147', days: 7, attempts: 14 },
    ];
    const areas = areasByMunicipality(municipalities, rows, '2026-W40');
    expect(areas.map((a) => [a.code, a.state, a.state === 'shown' ? a.value : null])).toEqual([
      ['0773', 'no-data', null],
      ['0101', 'shown', 10],
      ['0147', 'no-data', null],
    ]);
    expect(largestShown(areas)).toBe(10);
    expect(largestShown([])).toBe(0);
  });
});

describe('municipalityRowOf', () => {
  it('takes a row with its bucket, code, days and attempts, and refuses one lacking any', () => {
    expect(municipalityRowOf({ bucket: 'b', municipality: '0101', name: 'København', days: 1, attempts: 3, category_x: 3 })).toEqual({
      bucket: 'b',
      municipality: '0101',
      days: 1,
      attempts: 3,
    });
    expect(municipalityRowOf({ bucket: 'b', municipality: '0101', days: 0, attempts: 3 })).toBeUndefined();
    expect(municipalityRowOf({ bucket: 'b', days: 1, attempts: 3 })).toBeUndefined();
    expect(municipalityRowOf({ bucket: 'b', municipality: '0101', days: 1, attempts: '3' })).toBeUndefined();
  });
});
