import { areaTexts } from '../area-texts';

/** The alert detail's texts for its campaign links (merged into the console's dictionary by i18n.ts). */
export const detailTexts = areaTexts(
  {
    'detail.campaignLinks': 'Kampagnens alarmer',
    'detail.campaignPage': 'Åbn kampagnen',
    'detail.campaignAlert': 'Kampagnens egen alarm',
    'detail.campaignOtherAlerts': 'Andre kommuners alarmer i kampagnen',
    'detail.campaignMemberAlerts': 'Kommunernes alarmer i kampagnen',
    'detail.campaignNoAlerts': 'Ingen andre kommuners alarmer er knyttet til kampagnen.',
    'detail.campaignAlertLink': '{member}: {title} ({status})',
  },
  {
    'detail.campaignLinks': "The campaign's alerts",
    'detail.campaignPage': 'Open the campaign',
    'detail.campaignAlert': "The campaign's own alert",
    'detail.campaignOtherAlerts': "Other members' alerts in the campaign",
    'detail.campaignMemberAlerts': "The members' alerts in the campaign",
    'detail.campaignNoAlerts': "No other member's alert is linked to the campaign.",
    'detail.campaignAlertLink': '{member}: {title} ({status})',
  },
);
