import { useEffect, useState } from 'react';
import { alerting, dataOf, type Alert, type AlertWithEvents } from '../api';
import { useLanguage } from '../language';
import { hrefOf } from '../navigation';
import { campaignIdOf, campaignMemberAlerts, campaignSearchValues } from './campaign-alerts';

/** Every alert `GET /alerts?q=<value>` finds in the caller's scope, page after page by `next_cursor`. */
async function alertsMatching(value: string): Promise<Alert[]> {
  let page = dataOf(await alerting.GET('/alerts', { params: { query: { q: value, size: 500 } } }));
  const found = [...page.alerts];
  while (page.next_cursor) {
    page = dataOf(await alerting.GET('/alerts', { params: { query: { q: value, size: 500, search_after: page.next_cursor } } }));
    found.push(...page.alerts);
  }
  return found;
}

/**
 * For SOC roles: the campaign an alert belongs to (its page and its own alert) and the other
 * members' alerts linked to it; on a campaign alert, its member alerts. alerting has no route
 * listing a campaign's alerts, so they are found as it links them (the campaign alert's
 * observable values and group key, `GET /alerts?q=`) and kept if their `campaign.id` names this
 * campaign. Never shown to a member, whose answer names no other member (only how many).
 */
export function CampaignLinks({ alert }: { alert: AlertWithEvents }) {
  const { t } = useLanguage();
  const campaignId = campaignIdOf(alert);
  const [members, setMembers] = useState<Alert[]>();
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    if (!campaignId) return;
    let current = true;
    void (async () => {
      try {
        const campaign = alert.kind === 'campaign' ? alert : dataOf(await alerting.GET('/alerts/{id}', { params: { path: { id: campaignId } } }));
        const found = (await Promise.all(campaignSearchValues(campaign).map(alertsMatching))).flat();
        if (current) setMembers(campaignMemberAlerts(found, campaignId, alert.id));
      } catch (error) {
        if (current) setFailure((error as Error).message);
      }
    })();
    return () => {
      current = false;
    };
  }, [alert, campaignId]);

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
      {!members && !failure && <p role="status">{t('app.loading')}</p>}
      {members && members.length === 0 && <p id="campaign-alerts-none">{t('detail.campaignNoAlerts')}</p>}
      {members && members.length > 0 && (
        <ul id="campaign-alerts" aria-labelledby="campaign-alerts-title">
          {members.map((member) => (
            <li key={member.id} data-alert-id={member.id} data-member={member.organization.id}>
              <a href={hrefOf({ page: 'alert', id: member.id })}>
                {t('detail.campaignAlertLink', { member: member.organization.id, title: member.rule.title, status: t(`status.${member.status}`) })}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
