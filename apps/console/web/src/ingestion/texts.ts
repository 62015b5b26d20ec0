import { areaTexts } from '../area-texts';

/** The ingestion page's map texts (merged into the console's dictionary by i18n.ts; the table's texts are still in i18n.ts). */
export const ingestionTexts = areaTexts(
  {
    'ingestion.map.title': 'Indsamling pr. kommune',
    'ingestion.map.description': 'Hver kommune farvet efter hvor nylig dens seneste hændelse er og dens andel af fortolkningsfejl; tavse kommuner er røde.',
    'ingestion.map.errors': 'fortolkningsfejl {percent}',
    'ingestion.map.highErrors': 'Mange fortolkningsfejl (≥ {percent})',
    'ingestion.map.notMember': 'Ikke medlem',
    'ingestion.map.cell': '{recency}; {errors}',
  },
  {
    'ingestion.map.title': 'Ingestion per municipality',
    'ingestion.map.description': 'Each municipality coloured by how recent its last event is and its share of parse errors; silent municipalities are red.',
    'ingestion.map.errors': 'parse errors {percent}',
    'ingestion.map.highErrors': 'Many parse errors (≥ {percent})',
    'ingestion.map.notMember': 'Not a member',
    'ingestion.map.cell': '{recency}; {errors}',
  },
);
