import { areaTexts } from '../area-texts';

/** The incidents page's texts (merged into the console's dictionary by i18n.ts). */
export const incidentsTexts = areaTexts(
  {
    'nav.incidents': 'Hændelseskø',
    'incidents.title': 'Hændelseskø',
  },
  {
    'nav.incidents': 'Incident queue',
    'incidents.title': 'Incident queue',
  },
);
