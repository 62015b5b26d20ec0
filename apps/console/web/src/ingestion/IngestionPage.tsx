import { useEffect, useState } from 'react';
import { dataOf } from '../api';
import { useLanguage } from '../language';
import { DenmarkMap } from '../map/DenmarkMap';
import { hrefOf } from '../navigation';
import type { SignedInUser } from '../session';
import { collector, type MemberHealth } from './collector-api';
import { highParseErrorRate, ingestionCells, memberLabel, ingestionCounts, ingestionLegend, ingestionStates, type IngestionMapState } from './ingestion-map';
import { bySilenceFirst, parseErrorRate, recencyOf, refusalsOf } from './ingestion-recency';

/** How often the page reads the health again: the collector flushes its counts every second. */
const refreshMs = 30_000;

/**
 * Ingestion health per member from the collector's `GET /v1/ingestion/health`: every member for
 * SOC roles, the member's own for a member (the API scopes it by the token). Silent members come
 * first; recency is written out as well as coloured. SOC roles also see the 98 municipalities on
 * the Denmark map, coloured by recency and parse-error share (ingestion-map.ts), so a silent one
 * stands out; a member gets a link to its forwarder keys (`#/keys`).
 */
export function IngestionPage({ user }: { user: SignedInUser }) {
  const { t, language } = useLanguage();
  const [members, setMembers] = useState<MemberHealth[]>();
  const [readAt, setReadAt] = useState(() => Date.now());
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    let current = true;
    const read = () =>
      collector
        .GET('/v1/ingestion/health')
        .then(dataOf)
        .then(
          (answer) => {
            if (!current) return;
            setMembers([...answer.members].sort(bySilenceFirst));
            setReadAt(Date.now());
            setFailure(undefined);
          },
          (error: Error) => current && setFailure(error.message),
        );
    void read();
    const timer = setInterval(() => void read(), refreshMs);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, []);

  const locale = language === 'da' ? 'da-DK' : 'en-GB';
  const time = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
  const rate = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const isMember = user.role === 'member';
  const cells =
    members && !isMember
      ? ingestionCells(members, readAt, {
          recency: (recency) => t(`ingestion.recency.${recency}`),
          errors: (share) => (share === null ? t('ingestion.map.noErrors') : t('ingestion.map.errors', { percent: percent.format(share) })),
          cell: (recency, errors) => t('ingestion.map.cell', { recency, errors }),
        })
      : undefined;
  const counts = cells ? ingestionCounts(cells) : undefined;
  const legendLabel = (state: IngestionMapState) => t(`ingestion.map.legend.${state}`, { percent: percent.format(highParseErrorRate) });

  return (
    <section aria-labelledby="ingestion-title">
      <h2 id="ingestion-title">{isMember ? t('ingestion.memberTitle') : t('ingestion.title')}</h2>
      <p>{t('ingestion.explain')}</p>
      {failure && (
        <p role="alert" className="error">
          {t('app.error', { message: failure })}
        </p>
      )}
      {!members && !failure && <p role="status">{t('app.loading')}</p>}
      {cells && counts && (
        <>
          <p id="ingestion-map-counts">
            {ingestionStates
              .filter((state) => counts[state] > 0)
              .map((state) => `${legendLabel(state)}: ${counts[state]}`)
              .join(' · ')}
          </p>
          <DenmarkMap title={t('ingestion.map.title')} description={t('ingestion.map.description')} cells={cells} legend={ingestionLegend(legendLabel)} />
        </>
      )}
      {members && members.length === 0 && <p role="status">{t('ingestion.empty')}</p>}
      {members && members.length > 0 && (
        <table className="ingestion">
          <caption className="visually-hidden">{t('ingestion.table')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('ingestion.col.member')}</th>
              <th scope="col">{t('ingestion.col.recency')}</th>
              <th scope="col">{t('ingestion.col.lastEvent')}</th>
              <th scope="col">{t('ingestion.col.rate')}</th>
              <th scope="col">{t('ingestion.col.parseErrors')}</th>
              <th scope="col">{t('ingestion.col.refused')}</th>
            </tr>
          </thead>
          <tbody id="ingestion-rows">
            {members.map((m) => {
              const recency = recencyOf(m, readAt);
              const errors = parseErrorRate(m);
              const refusals = refusalsOf(m);
              return (
                <tr key={m.member_id} data-member={m.member_id} data-recency={recency}>
                  <th scope="row">{memberLabel(m.member_id)}</th>
                  <td>
                    <span className={`recency ${recency}`}>{t(`ingestion.recency.${recency}`)}</span>
                  </td>
                  <td>{m.last_event_at ? time.format(new Date(m.last_event_at)) : '—'}</td>
                  <td className="number">{rate.format(m.events_per_second)}</td>
                  <td className="number" data-parse-errors={m.parse_errors}>
                    {errors === null ? '—' : `${percent.format(errors)} (${m.parse_errors})`}
                  </td>
                  <td>
                    {refusals.length === 0
                      ? t('ingestion.noRefusals')
                      : refusals.map(([reason, count]) => (
                          <span key={reason} className="refusal" data-reason={reason}>
                            {reason}: {count}{' '}
                          </span>
                        ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {isMember && (
        <section aria-labelledby="forwarder-keys-title">
          <h3 id="forwarder-keys-title">{t('ingestion.keysTitle')}</h3>
          <p id="forwarder-keys-note">
            {t('ingestion.keysNote')}{' '}
            <a id="forwarder-keys-link" href={hrefOf({ page: 'keys' })}>
              {t('ingestion.keysLink')}
            </a>
          </p>
        </section>
      )}
    </section>
  );
}
