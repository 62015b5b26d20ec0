import { useEffect, useState } from 'react';
import { alerting, dataOf } from '../api';
import { useLanguage } from '../language';
import { hrefOf } from '../navigation';
import type { SignedInUser } from '../session';
import type { CampaignList, CampaignListQuery } from './campaigns-api';
import { isOpen, memberLabel, membersOf } from './campaign-view';

type State = NonNullable<CampaignListQuery['state']>;
const states: readonly State[] = ['all', 'open', 'closed'];

/**
 * `#/campaigns` (SOC roles; navigation.ts keeps members out, and alerting answers them 403):
 * alerting's `GET /campaigns`, open campaigns first, newest first, with the members each reached.
 */
export function CampaignsPage({ user }: { user: SignedInUser }) {
  const { t, time } = useLanguage();
  const [state, setState] = useState<State>('all');
  const [list, setList] = useState<CampaignList>();
  const [failure, setFailure] = useState<string>();
  void user;

  useEffect(() => {
    let current = true;
    setList(undefined);
    setFailure(undefined);
    alerting
      .GET('/campaigns', { params: { query: { state, size: 200 } } })
      .then(dataOf)
      .then(
        (answer) => current && setList(answer),
        (error: Error) => current && setFailure(error.message),
      );
    return () => {
      current = false;
    };
  }, [state]);

  return (
    <section aria-labelledby="campaigns-title">
      <h2 id="campaigns-title">{t('campaigns.title')}</h2>
      <p>{t('campaigns.explain')}</p>
      <div className="filters">
        <label htmlFor="campaigns-state">{t('campaigns.state')}</label>
        <select id="campaigns-state" value={state} onChange={(event) => setState(event.target.value as State)}>
          {states.map((s) => (
            <option key={s} value={s}>
              {t(`campaigns.state.${s}`)}
            </option>
          ))}
        </select>
      </div>
      {failure && (
        <p role="alert" className="error">
          {t('app.error', { message: failure })}
        </p>
      )}
      {!list && !failure && <p role="status">{t('app.loading')}</p>}
      {list && (
        <p role="status" id="campaigns-count">
          {list.total === 0 ? t('campaigns.empty') : t('campaigns.count', { total: list.total, open: list.open })}
        </p>
      )}
      {list && list.campaigns.length > 0 && (
        <table className="campaigns">
          <caption className="visually-hidden">{t('campaigns.table')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('campaigns.col.campaign')}</th>
              <th scope="col">{t('campaigns.col.status')}</th>
              <th scope="col">{t('campaigns.col.members')}</th>
              <th scope="col">{t('campaigns.col.firstSeen')}</th>
              <th scope="col">{t('campaigns.col.lastSeen')}</th>
              <th scope="col">{t('campaigns.col.rule')}</th>
            </tr>
          </thead>
          <tbody id="campaign-rows">
            {list.campaigns.map((campaign) => {
              const members = membersOf(campaign);
              return (
                <tr key={campaign.id} data-campaign={campaign.id} data-open={isOpen(campaign)}>
                  <th scope="row">
                    <a href={hrefOf({ page: 'campaign', id: campaign.id })}>{campaign.group_key}</a>
                  </th>
                  <td>{t(`status.${campaign.status}`)}</td>
                  <td data-members={members.join(' ')}>
                    <strong>{t('campaigns.membersCount', { count: members.length })}</strong>: {members.map(memberLabel).join(', ')}
                  </td>
                  <td>{time(campaign.first_seen)}</td>
                  <td>{time(campaign.last_seen)}</td>
                  <td>{campaign.rule.title}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
