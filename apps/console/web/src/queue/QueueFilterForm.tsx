import { useState, type FormEvent } from 'react';
import { alertStatuses, severities } from '../api';
import { useLanguage } from '../language';
import type { QueueFilters } from './queue-order';

/** The queue's filters: status (all open by default), severity, member (SOC roles), free text; applied on submit. */
export function QueueFilterForm({ filters, showMember, onApply }: { filters: QueueFilters; showMember: boolean; onApply(filters: QueueFilters): void }) {
  const { t } = useLanguage();
  const [draft, setDraft] = useState(filters);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form className="filters" role="search" aria-label={t('queue.filters')} onSubmit={submit}>
      <label>
        {t('queue.filter.status')}
        <select id="filter-status" value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value as QueueFilters['status'] })}>
          <option value="open">{t('queue.filter.open')}</option>
          <option value="">{t('queue.filter.all')}</option>
          {alertStatuses.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('queue.filter.severity')}
        <select id="filter-severity" value={draft.severity} onChange={(e) => setDraft({ ...draft, severity: e.target.value as QueueFilters['severity'] })}>
          <option value="">{t('queue.filter.all')}</option>
          {severities.map((s) => (
            <option key={s} value={s}>
              {t(`severity.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {showMember && (
        <label>
          {t('queue.filter.member')}
          <input id="filter-member" value={draft.member} inputMode="numeric" size={6} onChange={(e) => setDraft({ ...draft, member: e.target.value })} />
        </label>
      )}
      <label>
        {t('queue.filter.text')}
        <input id="filter-text" type="search" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
      </label>
      <button type="submit" id="filter-apply">
        {t('queue.filter.apply')}
      </button>
    </form>
  );
}
