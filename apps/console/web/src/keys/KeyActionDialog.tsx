import { useEffect, useId, useRef, useState } from 'react';
import { useLanguage } from '../language';
import type { ForwarderKey } from './keys-api';

/**
 * Asks before a key is rotated or revoked (the old secret stops working within 5 s; neither can be
 * undone): the browser's modal `<dialog>` keeps the focus in it and closes on Escape, with Cancel
 * focused first. A refusal by the API is shown in it, in the API's words.
 */
export function KeyActionDialog({
  action,
  forwarderKey,
  onConfirm,
  onCancel,
}: {
  action: 'rotate' | 'revoke';
  forwarderKey: ForwarderKey;
  onConfirm(): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useLanguage();
  const dialog = useRef<HTMLDialogElement>(null);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();

  useEffect(() => {
    const element = dialog.current!;
    if (!element.open) element.showModal();
    // showModal focuses the first button (confirm): Cancel is the safe default.
    cancel.current?.focus();
    return () => element.close();
  }, []);

  async function confirm() {
    setBusy(true);
    try {
      await onConfirm();
    } catch (error) {
      setProblem(t('keys.refused', { message: (error as Error).message }));
      setBusy(false);
    }
  }

  const label = forwarderKey.label || forwarderKey.id;
  return (
    <dialog ref={dialog} id="key-dialog" data-action={action} aria-labelledby={titleId} onCancel={onCancel}>
      <h2 id={titleId}>{t(`keys.${action}.title`, { label })}</h2>
      <p>{t(`keys.${action}.explain`, { label, member: forwarderKey.member_id })}</p>
      {problem && (
        <p role="alert" className="error" id="key-dialog-problem">
          {problem}
        </p>
      )}
      <p className="buttons">
        <button type="button" id="key-dialog-confirm" disabled={busy} onClick={() => void confirm()}>
          {t(`keys.${action}.confirm`)}
        </button>{' '}
        <button type="button" id="key-dialog-cancel" className="secondary" ref={cancel} onClick={onCancel}>
          {t('keys.cancel')}
        </button>
      </p>
    </dialog>
  );
}
