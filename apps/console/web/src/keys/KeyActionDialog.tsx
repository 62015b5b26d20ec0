import { useEffect, useRef } from 'react';
import { DialogProblem, useModalDialog } from '../dialog/modal-dialog';
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
  const { ref, titleId, problem, busy, run } = useModalDialog((message) => t('keys.refused', { message }));
  const cancel = useRef<HTMLButtonElement>(null);

  // Runs after the hook's showModal, which focuses the first button (confirm): Cancel is the safe default.
  useEffect(() => cancel.current?.focus(), []);

  const label = forwarderKey.label || forwarderKey.id;
  return (
    <dialog ref={ref} id="key-dialog" data-action={action} aria-labelledby={titleId} onCancel={onCancel}>
      <h2 id={titleId}>{t(`keys.${action}.title`, { label })}</h2>
      <p>{t(`keys.${action}.explain`, { label, member: forwarderKey.member_id })}</p>
      <DialogProblem id="key-dialog-problem" problem={problem} />
      <p className="buttons">
        <button type="button" id="key-dialog-confirm" disabled={busy} onClick={() => void run(onConfirm)}>
          {t(`keys.${action}.confirm`)}
        </button>{' '}
        <button type="button" id="key-dialog-cancel" className="secondary" ref={cancel} onClick={onCancel}>
          {t('keys.cancel')}
        </button>
      </p>
    </dialog>
  );
}
