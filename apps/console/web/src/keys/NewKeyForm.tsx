import { useId, useState } from 'react';
import { useLanguage } from '../language';
import { keyFormats, type NewKey } from './keys-api';

const emptyKey: NewKey = { member_id: '', label: '', format: '', dataset: '', time_zone: '' };

/**
 * Issues a key: its label and, optionally, what its forwarder sends (format, dataset, time zone:
 * docs/FORWARDERS.md). A SOC administrator names the member; a member's key is its own. The
 * collector checks every field and its refusal is shown in its words.
 */
export function NewKeyForm({ forAnyMember, onCreate }: { forAnyMember: boolean; onCreate(key: NewKey): Promise<void> }) {
  const { t } = useLanguage();
  const [draft, setDraft] = useState<NewKey>(emptyKey);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();
  const set = (change: Partial<NewKey>) => setDraft({ ...draft, ...change });

  async function submit() {
    setBusy(true);
    setProblem(undefined);
    try {
      await onCreate(draft);
      setDraft(emptyKey);
    } catch (error) {
      setProblem(t('keys.refused', { message: (error as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      id="new-key"
      className="new-key"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id={`${id}-title`}>{t('keys.new.title')}</h3>
      {forAnyMember && (
        <p>
          <label htmlFor="new-key-member">{t('keys.new.member')}</label>{' '}
          <input
            id="new-key-member"
            required
            value={draft.member_id}
            inputMode="numeric"
            size={8}
            onChange={(e) => set({ member_id: e.target.value.trim() })}
          />
        </p>
      )}
      <p>
        <label htmlFor="new-key-label">{t('keys.new.label')}</label>{' '}
        <input id="new-key-label" value={draft.label} maxLength={200} onChange={(e) => set({ label: e.target.value })} />
      </p>
      <p>
        <label htmlFor="new-key-format">{t('keys.new.format')}</label>{' '}
        <select id="new-key-format" value={draft.format} onChange={(e) => set({ format: e.target.value as NewKey['format'] })}>
          <option value="">{t('keys.new.formatNone')}</option>
          {keyFormats.map((format) => (
            <option key={format} value={format}>
              {format}
            </option>
          ))}
        </select>
      </p>
      <p>
        <label htmlFor="new-key-dataset">{t('keys.new.dataset')}</label>{' '}
        <input id="new-key-dataset" value={draft.dataset} placeholder="cisco.asa" onChange={(e) => set({ dataset: e.target.value.trim() })} />
      </p>
      <p>
        <label htmlFor="new-key-time-zone">{t('keys.new.timeZone')}</label>{' '}
        <input id="new-key-time-zone" value={draft.time_zone} placeholder="Europe/Copenhagen" onChange={(e) => set({ time_zone: e.target.value.trim() })} />
      </p>
      {problem && (
        <p role="alert" className="error" id="new-key-problem">
          {problem}
        </p>
      )}
      <p>
        <button type="submit" id="new-key-create" disabled={busy}>
          {t('keys.new.create')}
        </button>
      </p>
    </form>
  );
}
