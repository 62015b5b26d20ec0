import { areaTexts } from '../area-texts';

/** The exceptions page's texts (merged into the console's dictionary by i18n.ts). */
export const exceptionsTexts = areaTexts(
  {
    'nav.exceptions': 'Undtagelser',
    'exceptions.title': 'Undtagelser',
  },
  {
    'nav.exceptions': 'Exceptions',
    'exceptions.title': 'Exceptions',
  },
);
