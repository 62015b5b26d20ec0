import { useEffect, useState } from 'react';
import { alerting, dataOf, type Alert, type AlertWithEvents } from '../api';
import { useLanguage } from '../language';
import { hrefOf } from '../navigation';
import { campaignIdOf, otherCampaignAlerts } from './campaign-alerts';

/**
 * For SOC roles: the campaign an alert belongs to (its page and its own alert) and the other
 * alerts of the campaign (the member alerts alerting linked to it and the early warnings on its
 * address: `GET /campaigns/{id}`, SOC roles only); on a campaign alert, its member alerts. Never
 * shown to a member, whose answer names no other member (only how many).
 */
export function CampaignLinks({ alert }: { alert: AlertWithEvents }) {
  const { t } = useLanguage();
  const campaignId = campaignIdOf(alert);
  const [others, setOthers] = useState<Alert[]>();
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    if (!campaignId) return;
    let current = true;
    void (async () => {
      try {
        const campaign = dataOf(await alerting.GET('/campaigns/{id}', { params: { path: { id: campaignId } } }));
        if (current) setOthers(otherCampaignAlerts(campaign.alerts, alert.id));
      } catch (error) {
        if (current) setFailure((error as Error).message);
      }
    })();
    return () => {
      current = false;
    };
  }, [alert.id, campaignId]);

  if (!campaignId) return null;
  const isCampaign = alert.kind === 'campaign';
  return (
    <section aria-labelledby="campaign-links-title" id="detail-campaign-links">
      <h3 id="campaign-links-title">{t('detail.campaignLinks')}</h3>
      <ul>
        <li>
          <a id="campaign-page-link" href={hrefOf({ page: 'campaign', id: campaignId })}>
            {t('detail.campaignPage')}
          </a>
        </li>
        {!isCampaign && (
          <li>
            <a id="campaign-alert-link" href={hrefOf({ page: 'alert', id: campaignId })}>
              {t('detail.campaignAlert')}
            </a>
          </li>
        )}
      </ul>
      <h4 id="campaign-alerts-title">{t(isCampaign ? 'detail.campaignMemberAlerts' : 'detail.campaignOtherAlerts')}</h4>
      {failure && (
        <p role="alert" className="error">
          {t('app.error', { message: failure })}
        </p>
      )}
      {!others && !failure && <p role="status">{t('app.loading')}</p>}
      {others && others.length === 0 && <p id="campaign-alerts-none">{t('detail.campaignNoAlerts')}</p>}
      {others && others.length > 0 && (
        <ul id="campaign-alerts" aria-labelledby="campaign-alerts-title">
          {others.map((linked) => (
            <li key={linked.id} data-alert-id={linked.id} data-member={linked.organization.id}>
              <a href={hrefOf({ page: 'alert', id: linked.id })}>
                {t('detail.campaignAlertLink', { member: linked.organization.id, title: linked.rule.title, status: t(`status.${linked.status}`) })}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
