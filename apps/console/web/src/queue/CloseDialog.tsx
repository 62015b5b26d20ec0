import { useState, type FormEvent } from 'react';
import { closingStatuses, type Alert, type AlertStatus } from '../api';
import { DialogProblem, useModalDialog } from '../dialog/modal-dialog';
import { useLanguage } from '../language';

/**
 * Closing an alert needs a reason (the API refuses one without): a modal dialog asks for how it
 * ends (resolved, false positive, duplicate) and why. The browser's own `<dialog>` keeps focus in
 * it and closes on Escape.
 */
export function CloseDialog({ alert, onClose, onCancel }: { alert: Alert; onClose(status: AlertStatus, reason: string): Promise<void>; onCancel(): void }) {
  const { t } = useLanguage();
  const { ref, titleId, problem, setProblem, busy, run } = useModalDialog();
  const [status, setStatus] = useState<AlertStatus>('resolved');
  const [reason, setReason] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setProblem(t('close.reasonRequired'));
      return;
    }
    await run(() => onClose(status, reason.trim()));
  }

  return (
    <dialog ref={ref} id="close-dialog" aria-labelledby={titleId} onCancel={onCancel}>
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
        <DialogProblem problem={problem} />
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
