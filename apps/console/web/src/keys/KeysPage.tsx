import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLanguage } from '../language';
import type { SignedInUser } from '../session';
import { KeyActionDialog } from './KeyActionDialog';
import { NewKeyForm } from './NewKeyForm';
import { SecretPanel } from './SecretPanel';
import { keyApi, type ForwarderKey, type IssuedKey, type KeyAuditEntry, type NewKey } from './keys-api';

/**
 * Forwarder keys (docs/CONSOLE.md, "Forwarder keys"): a member's own (the collector's
 * `/v1/forwarder-keys`, scoped by the token), every member's for a SOC administrator
 * (`/v1/admin/forwarder-keys`, filtered by member). Create and rotate show the new secret once;
 * rotate and revoke ask first; the trail of changes below.
 */
export function KeysPage({ user }: { user: SignedInUser }) {
  const { t, time } = useLanguage();
  const api = useMemo(() => keyApi(user), [user]);
  const isAdmin = user.role === 'soc_admin';
  const [member, setMember] = useState('');
  const [keys, setKeys] = useState<ForwarderKey[]>();
  const [trail, setTrail] = useState<KeyAuditEntry[]>();
  const [failure, setFailure] = useState<string>();
  const [issued, setIssued] = useState<{ key: IssuedKey; rotated: boolean }>();
  const [acting, setActing] = useState<{ action: 'rotate' | 'revoke'; key: ForwarderKey }>();
  const [outcome, setOutcome] = useState<string>();
  const outcomeRef = useRef<HTMLParagraphElement>(null);
  const filter = isAdmin && member ? member : undefined;

  const read = useCallback(
    () =>
      Promise.all([api.list(filter), api.audit(filter)]).then(
        ([listed, entries]) => {
          setKeys(listed);
          setTrail(entries);
          setFailure(undefined);
        },
        (error: Error) => setFailure(error.message),
      ),
    [api, filter],
  );

  useEffect(() => {
    void read();
  }, [read]);

  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  async function create(draft: NewKey) {
    const key = await api.create(draft);
    setOutcome(undefined);
    setIssued({ key, rotated: false });
    await read();
  }

  async function act(action: 'rotate' | 'revoke', key: ForwarderKey) {
    if (action === 'rotate') {
      const rotated = await api.rotate(key.id);
      setActing(undefined);
      setOutcome(undefined);
      setIssued({ key: rotated, rotated: true });
    } else {
      await api.revoke(key.id);
      setActing(undefined);
      setIssued(undefined);
      setOutcome(t('keys.revoked', { label: key.label || key.id }));
    }
    await read();
  }

  const members = [...new Set((keys ?? []).map((k) => k.member_id))].sort();
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">{t('keys.title')}</h2>
      <p>{isAdmin ? t('keys.explainAdmin') : t('keys.explainMember', { member: user.member_id ?? '' })}</p>
      {failure && (
        <p role="alert" className="error" id="keys-error">
          {t('app.error', { message: failure })}
        </p>
      )}
      <p id="keys-outcome" role="status" tabIndex={-1} ref={outcomeRef}>
        {outcome}
      </p>
      {issued && <SecretPanel issued={issued.key} rotated={issued.rotated} onClose={() => setIssued(undefined)} />}
      {isAdmin && (
        <form className="filters" aria-label={t('keys.filter')} onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="keys-member">{t('keys.filterMember')}</label>{' '}
          <input id="keys-member" list="keys-members" value={member} inputMode="numeric" size={8} onChange={(e) => setMember(e.target.value.trim())} />
          <datalist id="keys-members">
            {members.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </form>
      )}
      {!keys && !failure && <p role="status">{t('app.loading')}</p>}
      {keys && keys.length === 0 && <p id="keys-empty">{t('keys.empty')}</p>}
      {keys && keys.length > 0 && (
        <table className="keys">
          <caption className="visually-hidden">{t('keys.table')}</caption>
          <thead>
            <tr>
              {isAdmin && <th scope="col">{t('keys.col.member')}</th>}
              <th scope="col">{t('keys.col.label')}</th>
              <th scope="col">{t('keys.col.id')}</th>
              <th scope="col">{t('keys.col.declares')}</th>
              <th scope="col">{t('keys.col.created')}</th>
              <th scope="col">{t('keys.col.actions')}</th>
            </tr>
          </thead>
          <tbody id="key-rows">
            {keys.map((k) => (
              <tr key={k.id} data-key-id={k.id} data-member={k.member_id}>
                {isAdmin && <td>{k.member_id}</td>}
                <th scope="row">{k.label || t('keys.noLabel')}</th>
                <td className="message">{k.id}</td>
                <td>{[k.format, k.dataset, k.time_zone].filter(Boolean).join(', ') || '—'}</td>
                <td>{time(k.created_at)}</td>
                <td>
                  <button type="button" className="rotate secondary" onClick={() => setActing({ action: 'rotate', key: k })}>
                    {t('keys.rotate.button', { label: k.label || k.id })}
                  </button>{' '}
                  <button type="button" className="revoke secondary" onClick={() => setActing({ action: 'revoke', key: k })}>
                    {t('keys.revoke.button', { label: k.label || k.id })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewKeyForm forAnyMember={isAdmin} onCreate={create} />
      {acting && (
        <KeyActionDialog
          action={acting.action}
          forwarderKey={acting.key}
          onConfirm={() => act(acting.action, acting.key)}
          onCancel={() => setActing(undefined)}
        />
      )}
      <section aria-labelledby="keys-trail-title">
        <h3 id="keys-trail-title">{t('keys.trail.title')}</h3>
        {trail && trail.length === 0 && <p>{t('keys.trail.empty')}</p>}
        {trail && trail.length > 0 && (
          <table className="keys-trail">
            <caption className="visually-hidden">{t('keys.trail.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('keys.trail.at')}</th>
                <th scope="col">{t('keys.trail.who')}</th>
                <th scope="col">{t('keys.trail.what')}</th>
                {isAdmin && <th scope="col">{t('keys.col.member')}</th>}
                <th scope="col">{t('keys.trail.key')}</th>
              </tr>
            </thead>
            <tbody id="key-trail-rows">
              {trail.map((e) => (
                <tr key={e.id} data-action={e.action}>
                  <td>{time(e.at)}</td>
                  <td>
                    {e.actor.name ?? e.actor.sub} ({e.actor.role})
                  </td>
                  <td>{t(`keys.trail.${e.action}`)}</td>
                  {isAdmin && <td>{e.organization.id}</td>}
                  <td>
                    {e.after.label || '—'} <span className="message">{e.target.id}</span>
                    {e.after.replaced_by ? ` → ${e.after.replaced_by}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
