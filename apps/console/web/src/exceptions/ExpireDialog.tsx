import { useEffect, useId, useRef, useState } from 'react';
import { useLanguage } from '../language';
import type { ExceptionItem } from './exceptions-api';

/**
 * Asks before an exception is expired (it cannot be undone): the browser's modal `<dialog>`
 * keeps focus in it and closes on Escape. A refusal by the API is shown in it, in the API's words.
 */
export function ExpireDialog({ exception, onExpire, onCancel }: { exception: ExceptionItem; onExpire(): Promise<void>; onCancel(): void }) {
  const { t } = useLanguage();
  const dialog = useRef<HTMLDialogElement>(null);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const titleId = useId();

  useEffect(() => {
    const element = dialog.current!;
    if (!element.open) element.showModal();
    return () => element.close();
  }, []);

  async function expire() {
    setBusy(true);
    try {
      await onExpire();
    } catch (error) {
      setProblem(t('exceptions.refused', { message: (error as Error).message }));
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialog} id="expire-dialog" aria-labelledby={titleId} onCancel={onCancel}>
      <h2 id={titleId}>{t('exceptions.expire.title')}</h2>
      <p>{t('exceptions.expire.explain', { id: exception.id, rule: exception.rule_id })}</p>
      {problem && (
        <p role="alert" className="error" id="expire-problem">
          {problem}
        </p>
      )}
      <p className="buttons">
        <button type="button" id="expire-confirm" disabled={busy} onClick={() => void expire()}>
          {t('exceptions.expire.confirm')}
        </button>{' '}
        <button type="button" id="expire-cancel" onClick={onCancel} autoFocus>
          {t('exceptions.expire.cancel')}
        </button>
      </p>
    </dialog>
  );
}
