import { areaTexts } from '../area-texts';

/** The indicators page's texts (merged into the console's dictionary by i18n.ts). */
export const indicatorsTexts = areaTexts(
  {
    'nav.indicators': 'Indikatorer',
    'indicators.title': 'Indikatorer',
  },
  {
    'nav.indicators': 'Indicators',
    'indicators.title': 'Indicators',
  },
);
