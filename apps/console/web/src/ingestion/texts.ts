import { areaTexts } from '../area-texts';

/** The ingestion page's map and forwarder-key texts (merged into the console's dictionary by i18n.ts; the table's texts are still in i18n.ts). */
export const ingestionTexts = areaTexts(
  {
    'ingestion.map.title': 'Indsamling pr. kommune',
    'ingestion.map.description':
      'Alle 98 kommuner farvet efter hvor nylig deres seneste hændelse er og deres andel af fortolkningsfejl. Rød og grå er kommuner der er tavse eller aldrig har sendt.',
    'ingestion.map.errors': 'fortolkningsfejl {percent}',
    'ingestion.map.noErrors': 'ingen hændelser fortolket',
    'ingestion.map.cell': '{recency}; {errors}',
    'ingestion.map.legend.active': 'Aktiv (≤ 5 min), få fortolkningsfejl',
    'ingestion.map.legend.errors': 'Sender, men mange fortolkningsfejl (≥ {percent})',
    'ingestion.map.legend.quiet': 'Stille (5–15 min)',
    'ingestion.map.legend.silent': 'Tavs (> 15 min)',
    'ingestion.map.legend.never': 'Aldrig sendt',
    'ingestion.keysNote': 'Kommunen udsteder, roterer og tilbagekalder selv sine forwarder-nøgler.',
    'ingestion.keysLink': 'Gå til forwarder-nøgler',
  },
  {
    'ingestion.map.title': 'Ingestion per municipality',
    'ingestion.map.description':
      'All 98 municipalities coloured by how recent their last event is and their share of parse errors. Red and grey are municipalities that are silent or never sent.',
    'ingestion.map.errors': 'parse errors {percent}',
    'ingestion.map.noErrors': 'no events parsed',
    'ingestion.map.cell': '{recency}; {errors}',
    'ingestion.map.legend.active': 'Active (≤ 5 min), few parse errors',
    'ingestion.map.legend.errors': 'Sending, but many parse errors (≥ {percent})',
    'ingestion.map.legend.quiet': 'Quiet (5–15 min)',
    'ingestion.map.legend.silent': 'Silent (> 15 min)',
    'ingestion.map.legend.never': 'Never sent',
    'ingestion.keysNote': 'Your municipality issues, rotates and revokes its own forwarder keys.',
    'ingestion.keysLink': 'Go to forwarder keys',
  },
);
