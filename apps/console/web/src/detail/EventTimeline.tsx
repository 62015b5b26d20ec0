import type { AlertEvent } from '../api';
import { useLanguage } from '../language';

const sourceOf = (e: AlertEvent) => [e.source?.ip ?? e.source?.address, e.source?.port].filter((part) => part !== undefined).join(':');
const messageOf = (e: AlertEvent) => (typeof e.message === 'string' ? e.message : (e.event.original ?? ''));

/** The events behind the alert, oldest first: a timeline as a table (time, action, source, host, message). */
export function EventTimeline({ events }: { events: readonly AlertEvent[] }) {
  const { t, time } = useLanguage();
  const ordered = [...events].sort((a, b) => a['@timestamp'].localeCompare(b['@timestamp']));
  return (
    <section aria-labelledby="events-title">
      <h3 id="events-title">{t('detail.events')}</h3>
      {ordered.length === 0 ? (
        <p>{t('detail.noEvents')}</p>
      ) : (
        <table id="detail-events">
          <thead>
            <tr>
              <th scope="col">{t('detail.event.time')}</th>
              <th scope="col">{t('detail.event.action')}</th>
              <th scope="col">{t('detail.event.source')}</th>
              <th scope="col">{t('detail.event.host')}</th>
              <th scope="col">{t('detail.event.message')}</th>
            </tr>
          </thead>
          <tbody>
            {ordered.map((e) => (
              <tr key={e.event.id} data-event-id={e.event.id}>
                <td>{time(e['@timestamp'])}</td>
                <td>{[e.event.action, e.event.outcome].filter(Boolean).join(' · ')}</td>
                <td>{sourceOf(e)}</td>
                <td>{e.host?.name ?? e.host?.hostname ?? ''}</td>
                <td className="message">{messageOf(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
