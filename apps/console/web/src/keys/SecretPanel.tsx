import { useEffect, useRef, useState } from 'react';
import { useLanguage } from '../language';
import type { IssuedKey } from './keys-api';

/**
 * A new key's secret, shown once: the collector keeps only its hash, so once this panel is closed
 * nobody can show it again. The panel takes the focus, the secret can be copied or selected, and a
 * warning says so before it is closed.
 */
export function SecretPanel({ issued, rotated, onClose }: { issued: IssuedKey; rotated: boolean; onClose(): void }) {
  const { t } = useLanguage();
  const panel = useRef<HTMLElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'copied' | 'select'>();

  useEffect(() => panel.current?.focus(), [issued.key]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(issued.key);
      setCopied('copied');
    } catch {
      // No clipboard (an insecure origin, a refused permission): select it for Ctrl+C instead.
      field.current?.select();
      setCopied('select');
    }
  }

  return (
    <section id="key-secret" className="secret-panel" aria-labelledby="key-secret-title" tabIndex={-1} ref={panel} data-key-id={issued.id}>
      <h3 id="key-secret-title">
        {rotated ? t('keys.secret.rotatedTitle', { label: issued.label || issued.id }) : t('keys.secret.title', { label: issued.label || issued.id })}
      </h3>
      <p className="warning" id="key-secret-warning">
        <strong>{t('keys.secret.warning')}</strong>
      </p>
      <label htmlFor="key-secret-value">{t('keys.secret.label', { member: issued.member_id })}</label>
      <input
        id="key-secret-value"
        ref={field}
        readOnly
        value={issued.key}
        aria-describedby="key-secret-warning"
        spellCheck={false}
        size={Math.min(issued.key.length, 60)}
        onFocus={(e) => e.currentTarget.select()}
      />{' '}
      <button type="button" id="key-secret-copy" onClick={() => void copy()}>
        {t('keys.secret.copy')}
      </button>
      <p role="status" id="key-secret-copied">
        {copied === 'copied' ? t('keys.secret.copied') : copied === 'select' ? t('keys.secret.selectToCopy') : ''}
      </p>
      {rotated && <p>{t('keys.secret.rotatedNote')}</p>}
      <p>
        <button type="button" id="key-secret-done" className="secondary" onClick={onClose}>
          {t('keys.secret.done')}
        </button>
      </p>
    </section>
  );
}
