import { areaTexts } from '../area-texts';

/** The webhooks page's texts (merged into the console's dictionary by i18n.ts). */
export const webhooksTexts = areaTexts(
  {
    'nav.webhooks': 'Webhook-leverancer',
    'webhooks.title': 'Webhook-leverancer',
    'webhooks.explain':
      'De seneste notifikationer til jeres webhooks (op til 200 pr. medlem), nyeste forsøg først. Hver notifikation signeres og forsøges igen med stigende pause, indtil forsøgene er brugt; derefter står den som fejlet.',
    'webhooks.explainSoc':
      'De seneste notifikationer til medlemmernes webhooks (op til 200 pr. medlem), nyeste forsøg først, med medlemmet på hver række. Vælg en kommunekode for at se ét medlems leverancer.',
    'webhooks.filter': 'Filtrér leverancer efter medlem',
    'webhooks.filter.apply': 'Vis',
    'webhooks.reload': 'Opdatér',
    'webhooks.empty': 'Ingen leverancer endnu.',
    'webhooks.table': 'Webhook-leverancer',
    'webhooks.col.time': 'Seneste forsøg',
    'webhooks.col.member': 'Medlem',
    'webhooks.col.alert': 'Alarm',
    'webhooks.col.type': 'Hændelse',
    'webhooks.col.url': 'Modtager-URL',
    'webhooks.col.status': 'Status',
    'webhooks.col.attempts': 'Forsøg',
    'webhooks.col.response': 'Svarkode',
    'webhooks.col.error': 'Seneste fejl',
    'webhooks.status.delivered': 'Leveret',
    'webhooks.status.retrying': 'Forsøges igen',
    'webhooks.status.failed': 'Fejlet',
    'webhooks.attemptsOf': '{attempts} af {max}',
  },
  {
    'nav.webhooks': 'Webhook deliveries',
    'webhooks.title': 'Webhook deliveries',
    'webhooks.explain':
      'The latest notifications to your webhooks (up to 200 per member), newest attempt first. Each notification is signed and retried with a growing pause until its attempts are used up; then it shows as failed.',
    'webhooks.explainSoc':
      "The latest notifications to the members' webhooks (up to 200 per member), newest attempt first, with the member on each row. Give a municipality code to see one member's deliveries.",
    'webhooks.filter': 'Filter deliveries by member',
    'webhooks.filter.apply': 'Show',
    'webhooks.reload': 'Reload',
    'webhooks.empty': 'No deliveries yet.',
    'webhooks.table': 'Webhook deliveries',
    'webhooks.col.time': 'Latest attempt',
    'webhooks.col.member': 'Member',
    'webhooks.col.alert': 'Alert',
    'webhooks.col.type': 'Event',
    'webhooks.col.url': 'Target URL',
    'webhooks.col.status': 'Status',
    'webhooks.col.attempts': 'Attempts',
    'webhooks.col.response': 'Response code',
    'webhooks.col.error': 'Last error',
    'webhooks.status.delivered': 'Delivered',
    'webhooks.status.retrying': 'Retrying',
    'webhooks.status.failed': 'Failed',
    'webhooks.attemptsOf': '{attempts} of {max}',
  },
);
