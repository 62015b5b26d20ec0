import municipalitiesData from './data/municipalities.json';

export interface Municipality {
  code: string;
  name: string;
  region_code: '1081' | '1082' | '1083' | '1084' | '1085';
  region_name: string;
  /** Visual centre [longitude, latitude], for maps. */
  centre: [number, number];
}

/** The 98 Danish municipalities (DAWA / Klimadatastyrelsen, see data/NOTICE.md). */
export const municipalities: readonly Municipality[] = municipalitiesData as Municipality[];

export const regions = {
  '1081': 'Region Nordjylland',
  '1082': 'Region Midtjylland',
  '1083': 'Region Syddanmark',
  '1084': 'Region Hovedstaden',
  '1085': 'Region Sjælland',
} as const;
