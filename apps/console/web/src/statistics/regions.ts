/** The five regions the statistics API reports (docs/STATISTICS.md, "Cells"), by code; their names are proper names, the same in both languages. */
export const regionNames = {
  '1081': 'Region Nordjylland',
  '1082': 'Region Midtjylland',
  '1083': 'Region Syddanmark',
  '1084': 'Region Hovedstaden',
  '1085': 'Region Sjælland',
} as const;

export type RegionCode = keyof typeof regionNames;
export const regionCodes = Object.keys(regionNames) as RegionCode[];
export const isRegionCode = (value: string): value is RegionCode => value in regionNames;
