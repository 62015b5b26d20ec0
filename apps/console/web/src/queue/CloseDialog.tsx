import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { closingStatuses, type Alert, type AlertStatus } from '../api';
import { useLanguage } from '../language';

/**
 * Closing an alert needs a reason (the API refuses one without): a modal dialog asks for how it
 * ends (resolved, false positive, duplicate) and why. The browser's own `<dialog>` keeps focus in
 * it and closes on Escape.
 */
export function CloseDialog({ alert, onClose, onCancel }: { alert: Alert; onClose(status: AlertStatus, reason: string): Promise<void>; onCancel(): void }) {
  const { t } = useLanguage();
  const dialog = useRef<HTMLDialogElement>(null);
  const [status, setStatus] = useState<AlertStatus>('resolved');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const titleId = useId();

  useEffect(() => {
    const element = dialog.current!;
    if (!element.open) element.showModal();
    return () => element.close();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setProblem(t('close.reasonRequired'));
      return;
    }
    setBusy(true);
    try {
      await onClose(status, reason.trim());
    } catch (error) {
      setProblem((error as Error).message);
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialog} id="close-dialog" aria-labelledby={titleId} onCancel={onCancel}>
      <form onSubmit={submit}>
        <h2 id={titleId}>
          {t('close.title')}: {alert.rule.title} ({alert.organization.id})
        </h2>
        <p>
          <label>
            {t('close.status')}{' '}
            <select id="close-status" value={status} onChange={(e) => setStatus(e.target.value as AlertStatus)}>
              {closingStatuses.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </label>
        </p>
        <p>
          <label htmlFor="close-reason">{t('close.reason')}</label>
          <textarea id="close-reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={problem ? true : undefined} autoFocus />
        </p>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <p className="buttons">
          <button type="submit" id="close-confirm" disabled={busy}>
            {t('close.confirm')}
          </button>{' '}
          <button type="button" onClick={onCancel}>
            {t('close.cancel')}
          </button>
        </p>
      </form>
    </dialog>
  );
}
