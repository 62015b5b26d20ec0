import { areaTexts } from '../area-texts';

/** The campaigns page's texts (merged into the console's dictionary by i18n.ts). */
export const campaignsTexts = areaTexts(
  {
    'nav.campaigns': 'Kampagner',
    'campaigns.title': 'Kampagner',
  },
  {
    'nav.campaigns': 'Campaigns',
    'campaigns.title': 'Campaigns',
  },
);
