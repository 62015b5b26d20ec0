import type { AuditEntry } from '../api';
import { useLanguage } from '../language';

const changeOf = (entry: AuditEntry) =>
  [entry.before === undefined ? '' : JSON.stringify(entry.before), entry.after === undefined ? '' : JSON.stringify(entry.after)].filter(Boolean).join(' → ') +
  (entry.reason ? ` (${entry.reason})` : '');

/** Who did what to the alert, oldest first, as alerting's audit records it. */
export function AuditTrail({ entries }: { entries: readonly AuditEntry[] }) {
  const { t, time } = useLanguage();
  return (
    <section aria-labelledby="audit-title">
      <h3 id="audit-title">{t('detail.audit')}</h3>
      <table id="detail-audit">
        <thead>
          <tr>
            <th scope="col">{t('detail.audit.at')}</th>
            <th scope="col">{t('detail.audit.actor')}</th>
            <th scope="col">{t('detail.audit.action')}</th>
            <th scope="col">{t('detail.audit.change')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-action={entry.action}>
              <td>{time(entry.at)}</td>
              <td>{entry.actor.name ?? `${entry.actor.sub} (${entry.actor.role})`}</td>
              <td>{entry.action}</td>
              <td>{changeOf(entry)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
