import { areaTexts } from '../area-texts';

/** The webhooks page's texts (merged into the console's dictionary by i18n.ts). */
export const webhooksTexts = areaTexts(
  {
    'nav.webhooks': 'Webhook-leverancer',
    'webhooks.title': 'Webhook-leverancer',
  },
  {
    'nav.webhooks': 'Webhook deliveries',
    'webhooks.title': 'Webhook deliveries',
  },
);
