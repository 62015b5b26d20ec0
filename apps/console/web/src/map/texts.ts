import { areaTexts } from '../area-texts';

/** The Denmark map's own texts (merged into the console's dictionary by i18n.ts). */
export const mapTexts = areaTexts(
  {
    'map.loading': 'Indlæser kortet …',
    'map.failed': 'Kortet kunne ikke indlæses: {message}',
    'map.legend': 'Signaturforklaring',
    'map.credit': 'Kommunegrænser: Klimadatastyrelsen (DAGI) / DAWA',
    'map.bornholm': 'Bornholm (forskudt)',
    'map.asTable': 'Vis kortet som tabel',
    'map.col.municipality': 'Kommune',
    'map.col.value': 'Værdi',
    'map.noData': 'Ingen data',
  },
  {
    'map.loading': 'Loading the map …',
    'map.failed': 'The map could not be loaded: {message}',
    'map.legend': 'Legend',
    'map.credit': 'Municipal boundaries: Klimadatastyrelsen (DAGI) / DAWA',
    'map.bornholm': 'Bornholm (moved)',
    'map.asTable': 'Show the map as a table',
    'map.col.municipality': 'Municipality',
    'map.col.value': 'Value',
    'map.noData': 'No data',
  },
);
