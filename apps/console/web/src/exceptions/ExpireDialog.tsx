import { DialogProblem, useModalDialog } from '../dialog/modal-dialog';
import { useLanguage } from '../language';
import type { ExceptionItem } from './exceptions-api';

/**
 * Asks before an exception is expired (it cannot be undone): the browser's modal `<dialog>`
 * keeps focus in it and closes on Escape. A refusal by the API is shown in it, in the API's words.
 */
export function ExpireDialog({ exception, onExpire, onCancel }: { exception: ExceptionItem; onExpire(): Promise<void>; onCancel(): void }) {
  const { t } = useLanguage();
  const { ref, titleId, problem, busy, run } = useModalDialog((message) => t('exceptions.refused', { message }));

  return (
    <dialog ref={ref} id="expire-dialog" aria-labelledby={titleId} onCancel={onCancel}>
      <h2 id={titleId}>{t('exceptions.expire.title')}</h2>
      <p>{t('exceptions.expire.explain', { id: exception.id, rule: exception.rule_id })}</p>
      <DialogProblem id="expire-problem" problem={problem} />
      <p className="buttons">
        <button type="button" id="expire-confirm" disabled={busy} onClick={() => void run(onExpire)}>
          {t('exceptions.expire.confirm')}
        </button>{' '}
        <button type="button" id="expire-cancel" onClick={onCancel} autoFocus>
          {t('exceptions.expire.cancel')}
        </button>
      </p>
    </dialog>
  );
}
