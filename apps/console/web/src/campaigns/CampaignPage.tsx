import { useEffect, useState } from 'react';
import { alerting, ApiError, dataOf } from '../api';
import { useLanguage } from '../language';
import { DenmarkMap } from '../map/DenmarkMap';
import { hrefOf } from '../navigation';
import type { SignedInUser } from '../session';
import type { CampaignDetail } from './campaigns-api';
import { alertsById, campaignCells, campaignLegend, earlyWarningsOf, memberLabel } from './campaign-view';

/**
 * `#/campaigns/<id>` (SOC roles): alerting's `GET /campaigns/{id}`: the campaign's facts, the map
 * with the municipalities it reached, the spread over time (each member's alerts linked) and the
 * early warning it produced (the promoted indicator and the early-warning alerts).
 */
export function CampaignPage({ user, id }: { user: SignedInUser; id: string }) {
  const { t, time } = useLanguage();
  const [detail, setDetail] = useState<CampaignDetail>();
  const [failure, setFailure] = useState<{ status?: number; message: string }>();
  void user;

  useEffect(() => {
    let current = true;
    alerting
      .GET('/campaigns/{id}', { params: { path: { id } } })
      .then(dataOf)
      .then(
        (answer) => current && setDetail(answer),
        (error: Error) => current && setFailure({ status: error instanceof ApiError ? error.status : undefined, message: error.message }),
      );
    return () => {
      current = false;
    };
  }, [id]);

  const back = (
    <p>
      <a href={hrefOf({ page: 'campaigns' })}>{t('campaign.back')}</a>
    </p>
  );
  if (failure)
    return (
      <section aria-labelledby="campaign-title">
        <h2 id="campaign-title">{t('campaigns.title')}</h2>
        <p role="alert" className="error">
          {failure.status === 404 ? t('campaign.notFound') : t('app.error', { message: failure.message })}
        </p>
        {back}
      </section>
    );
  if (!detail)
    return (
      <section aria-labelledby="campaign-title">
        <h2 id="campaign-title">{t('campaigns.title')}</h2>
        <p role="status">{t('app.loading')}</p>
      </section>
    );

  const { campaign, spread } = detail;
  const alerts = alertsById(detail);
  const early = earlyWarningsOf(detail);
  const when = (iso: string | null) => (iso === null ? t('campaign.map.unknownTime') : time(iso));
  const cells = campaignCells(
    spread,
    {
      affected: (at) => t('campaign.map.affected', { time: at ?? t('campaign.map.unknownTime') }),
      earlyWarning: (at) => t('campaign.map.earlyWarning', { time: at ?? t('campaign.map.unknownTime') }),
    },
    time,
    hrefOf({ page: 'alert', id: campaign.id }),
  );

  return (
    <section aria-labelledby="campaign-title" data-campaign={campaign.id}>
      <h2 id="campaign-title">{t('campaign.title', { key: campaign.group_key })}</h2>
      {back}
      <dl className="facts" aria-label={t('campaign.facts')}>
        <dt>{t('campaigns.col.status')}</dt>
        <dd id="campaign-status">{t(`status.${campaign.status}`)}</dd>
        <dt>{t('campaigns.col.rule')}</dt>
        <dd>{campaign.rule.title}</dd>
        <dt>{t('campaigns.col.members')}</dt>
        <dd id="campaign-members">{(campaign.campaign?.members ?? []).map(memberLabel).join(', ')}</dd>
        <dt>{t('campaigns.col.firstSeen')}</dt>
        <dd>{time(campaign.first_seen)}</dd>
        <dt>{t('campaigns.col.lastSeen')}</dt>
        <dd>{time(campaign.last_seen)}</dd>
        <dt>{t('campaign.observables')}</dt>
        <dd>{campaign.observables.map((o) => `${o.field} = ${o.value}`).join('; ')}</dd>
        <dt>{t('campaign.alert')}</dt>
        <dd>
          <a id="campaign-alert-link" href={hrefOf({ page: 'alert', id: campaign.id })}>
            {campaign.rule.title} ({t(`severity.${campaign.severity}`)}, {campaign.risk_score})
          </a>
        </dd>
      </dl>

      <DenmarkMap
        title={t('campaign.map.title')}
        description={t('campaign.map.description')}
        cells={cells}
        legend={campaignLegend({
          affected: t('campaign.legend.affected'),
          earlyWarning: t('campaign.legend.earlyWarning'),
          untouched: t('campaign.legend.untouched'),
        })}
        emptyLabel={t('campaign.legend.untouched')}
      />

      <section aria-labelledby="campaign-timeline-title">
        <h3 id="campaign-timeline-title">{t('campaign.timeline')}</h3>
        <p>{t('campaign.timelineExplain')}</p>
        <ol id="campaign-timeline" className="timeline">
          {spread.map((entry) => (
            <li key={entry.member} data-member={entry.member} data-early-warning={entry.early_warning}>
              <span className="timeline-time">{when(entry.first_seen)}</span> <strong>{memberLabel(entry.member)}</strong>
              {entry.early_warning && <span className="tag"> ({t('campaign.earlyWarningTag')})</span>}:{' '}
              {entry.alert_ids.length === 0 ? (
                <em>{t('campaign.noAlert')}</em>
              ) : (
                entry.alert_ids.map((alertId, n) => {
                  const alert = alerts.get(alertId);
                  return (
                    <span key={alertId}>
                      {n > 0 && ', '}
                      <a href={hrefOf({ page: 'alert', id: alertId })} data-alert={alertId}>
                        {alert ? `${alert.rule.title} (${t(`status.${alert.status}`)})` : alertId}
                      </a>
                    </span>
                  );
                })
              )}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="campaign-early-title" id="campaign-early-warning">
        <h3 id="campaign-early-title">{t('campaign.earlyWarnings')}</h3>
        <p id="campaign-indicator">
          {detail.early_warning_indicator ? (
            <>
              {t('campaign.indicator', { id: detail.early_warning_indicator })} (<a href={hrefOf({ page: 'indicators' })}>{t('nav.indicators')}</a>)
            </>
          ) : (
            t('campaign.noIndicator')
          )}
        </p>
        <h4>{t('campaign.earlyWarningAlerts')}</h4>
        {early.length === 0 ? (
          <p id="campaign-no-early">{t('campaign.noEarlyWarnings')}</p>
        ) : (
          <ul id="campaign-early-alerts">
            {early.map((alert) => (
              <li key={alert.id}>
                {time(alert.first_seen)} {memberLabel(alert.organization.id)}:{' '}
                <a href={hrefOf({ page: 'alert', id: alert.id })} data-alert={alert.id}>
                  {alert.rule.title}
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
