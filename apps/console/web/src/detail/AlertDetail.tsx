import { useCallback, useEffect, useState } from 'react';
import { alerting, dataOf, type AlertWithEvents, type AuditEntry } from '../api';
import { useLanguage } from '../language';
import { hrefOf } from '../navigation';
import type { SignedInUser } from '../session';
import { AuditTrail } from './AuditTrail';
import { CampaignLinks } from './CampaignLinks';
import { Comments } from './Comments';
import { EventTimeline } from './EventTimeline';
import { ExceptionFromAlert } from './ExceptionFromAlert';
import { RuleFacts } from './RuleFacts';

/**
 * One alert as the API shows it to the person: its facts, the rule, the events behind it, the
 * comments and the audit trail; for SOC roles the campaign it belongs to and the other members'
 * alerts in it. A member's answer names no other member of a campaign, only how many (libs/alerts
 * `presentAlert`), and a member is shown no campaign links; another member's alert answers 404,
 * shown as the API's message.
 */
export function AlertDetail({ id, user }: { id: string; user: SignedInUser }) {
  const { t, time } = useLanguage();
  const [alert, setAlert] = useState<AlertWithEvents>();
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [failure, setFailure] = useState<string>();

  const load = useCallback(async () => {
    try {
      const params = { params: { path: { id } } };
      const [found, trail] = await Promise.all([alerting.GET('/alerts/{id}', params), alerting.GET('/alerts/{id}/audit', params)]);
      setAlert(dataOf(found));
      setAudit(dataOf(trail).entries);
      setFailure(undefined);
    } catch (error) {
      setFailure((error as Error).message);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    document.getElementById('main')?.focus();
  }, [id]);

  return (
    <article id="alert-detail" aria-labelledby="detail-title">
      <p>
        <a href={hrefOf({ page: 'queue' })}>← {t('detail.back')}</a>
      </p>
      <h2 id="detail-title">{alert ? `${alert.rule.title} · ${alert.organization.id}` : t('detail.title', { id })}</h2>
      {failure && (
        <p role="alert" className="error" id="detail-error">
          {t('app.error', { message: failure })}
        </p>
      )}
      {!alert && !failure && <p role="status">{t('app.loading')}</p>}
      {alert && (
        <>
          <section aria-labelledby="summary-title">
            <h3 id="summary-title">{t('detail.summary')}</h3>
            <dl className="facts">
              <dt>{t('queue.col.severity')}</dt>
              <dd>
                <span className={`severity ${alert.severity}`}>{t(`severity.${alert.severity}`)}</span>
              </dd>
              <dt>{t('queue.col.status')}</dt>
              <dd id="detail-status">{t(`status.${alert.status}`)}</dd>
              <dt>{t('queue.col.risk')}</dt>
              <dd>{alert.risk_score}</dd>
              <dt>{t('queue.col.assignee')}</dt>
              <dd>{alert.assignee ?? t('queue.unassigned')}</dd>
              <dt>{t('detail.firstSeen')}</dt>
              <dd>{time(alert.first_seen)}</dd>
              <dt>{t('detail.lastSeen')}</dt>
              <dd>{time(alert.last_seen)}</dd>
              <dt>{t('detail.count')}</dt>
              <dd>{alert.count}</dd>
              {alert.campaign && (
                <>
                  <dt>{t('detail.campaign')}</dt>
                  <dd id="detail-campaign">
                    {alert.campaign.members && user.role !== 'member'
                      ? t('detail.campaignMembers', { members: alert.campaign.members.join(', ') })
                      : t('detail.otherMembers', { count: alert.campaign.other_members_affected ?? 0 })}
                  </dd>
                </>
              )}
            </dl>
            {alert.risk_reasons && alert.risk_reasons.length > 0 && (
              <>
                <h4>{t('detail.riskReasons')}</h4>
                <ul>
                  {alert.risk_reasons.map((reason) => (
                    <li key={reason}>{reason}</li>
                  ))}
                </ul>
              </>
            )}
            {alert.observables.length > 0 && (
              <>
                <h4>{t('detail.observables')}</h4>
                <ul className="observables">
                  {alert.observables.map((o) => (
                    <li key={`${o.field}=${o.value}`}>
                      <code>{o.field}</code> = <code>{o.value}</code>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          {user.role !== 'member' && <CampaignLinks alert={alert} />}
          <RuleFacts rule={alert.rule} />
          <EventTimeline events={alert.events} />
          <Comments alertId={alert.id} comments={alert.comments ?? []} onPosted={load} />
          {user.role === 'soc_admin' && <ExceptionFromAlert alert={alert} />}
          <AuditTrail entries={audit} />
        </>
      )}
    </article>
  );
}
