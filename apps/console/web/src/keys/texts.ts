import { areaTexts } from '../area-texts';

/** The keys page's texts (merged into the console's dictionary by i18n.ts). */
export const keysTexts = areaTexts(
  {
    'nav.keys': 'Forwarder-nøgler',
    'keys.title': 'Forwarder-nøgler',
  },
  {
    'nav.keys': 'Forwarder keys',
    'keys.title': 'Forwarder keys',
  },
);
