import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { dataOf } from '../api';
import { DialogProblem, useModalDialog } from '../dialog/modal-dialog';
import { useLanguage } from '../language';
import type { SignedInUser } from '../session';
import { correlator, type IndicatorDetail as Detail } from './correlator-api';
import { bySightings, lastSighting, stateOf } from './indicator-search';

type Change = 'revoke' | 'expire';

/**
 * One indicator from `GET /v1/indicators/{id}`: its facts, where it was seen (per member), and
 * for the SOC administrator revoke and expire, each after a confirmation; a refusal shows the
 * API's message.
 */
export function IndicatorDetail({ id, user, onClose, onChanged }: { id: string; user: SignedInUser; onClose(): void; onChanged(): void }) {
  const { t, time } = useLanguage();
  const [detail, setDetail] = useState<Detail>();
  const [failure, setFailure] = useState<string>();
  const [asking, setAsking] = useState<Change>();
  const [done, setDone] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(
    () =>
      correlator
        .GET('/v1/indicators/{id}', { params: { path: { id } } })
        .then(dataOf)
        .then(
          (answer) => {
            setDetail(answer);
            setFailure(undefined);
          },
          (error: Error) => setFailure(error.message),
        ),
    [id],
  );

  useEffect(() => {
    void load().then(() => heading.current?.focus());
  }, [load]);

  if (failure && !detail) {
    return (
      <p role="alert" className="error" id="indicator-detail-error">
        {t('app.error', { message: failure })}
      </p>
    );
  }
  if (!detail) return <p role="status">{t('app.loading')}</p>;

  const { indicator, sightings, replica } = detail;
  const state = stateOf(indicator, Date.now());
  const last = lastSighting(sightings);
  const isAdmin = user.role === 'soc_admin';

  async function change(kind: Change, at?: string) {
    const path = { params: { path: { id } } };
    const answer =
      kind === 'revoke'
        ? dataOf(await correlator.POST('/v1/indicators/{id}/revoke', path))
        : dataOf(await correlator.POST('/v1/indicators/{id}/expire', { params: { path: { id }, query: at ? { at } : {} } }));
    setAsking(undefined);
    setDone(
      kind === 'revoke' ? t('indicators.revoked', { value: answer.value }) : t('indicators.expired', { value: answer.value, time: time(answer.valid_until!) }),
    );
    await load();
    onChanged();
  }

  const fact = (label: string, value: ReactNode, key?: string) => (
    <>
      <dt>{label}</dt>
      <dd data-fact={key}>{value}</dd>
    </>
  );

  return (
    <section aria-labelledby="indicator-detail-title" id="indicator-detail" data-id={indicator.id} data-state={state}>
      <h3 id="indicator-detail-title" tabIndex={-1} ref={heading}>
        {t('indicators.detail.title', { value: indicator.value })}
      </h3>
      <p className="buttons">
        {isAdmin && state !== 'revoked' && (
          <>
            <button type="button" id="indicator-revoke" onClick={() => setAsking('revoke')}>
              {t('indicators.revoke')}
            </button>{' '}
            <button type="button" id="indicator-expire" onClick={() => setAsking('expire')}>
              {t('indicators.expire')}
            </button>{' '}
          </>
        )}
        <button type="button" className="secondary" id="indicator-detail-close" onClick={onClose}>
          {t('indicators.detail.close')}
        </button>
      </p>
      {done && (
        <p role="status" id="indicator-changed">
          {done}
        </p>
      )}
      <dl className="facts">
        {fact(t('indicators.detail.id'), indicator.id)}
        {fact(t('indicators.detail.type'), indicator.type)}
        {fact(t('indicators.detail.value'), indicator.value)}
        {indicator.port !== undefined && fact(t('indicators.detail.port'), indicator.port)}
        {fact(t('indicators.detail.state'), t(`indicators.state.${state}`), 'state')}
        {state === 'revoked' && fact(t('indicators.detail.revokedBy'), t('indicators.detail.revokedByUnknown'))}
        {fact(t('indicators.detail.source'), indicator.source, 'source')}
        {fact(t('indicators.detail.confidence'), indicator.confidence)}
        {fact(t('indicators.detail.tlp'), indicator.tlp)}
        {fact(t('indicators.detail.validFrom'), time(indicator.valid_from))}
        {fact(t('indicators.detail.validUntil'), indicator.valid_until ? time(indicator.valid_until) : t('indicators.detail.noExpiry'), 'valid-until')}
        {fact(t('indicators.detail.lastSeen'), last ? time(last) : t('indicators.detail.neverSeen'), 'last-seen')}
        {indicator.labels.length > 0 && fact(t('indicators.detail.labels'), indicator.labels.join(', '))}
        {indicator.description && fact(t('indicators.detail.description'), indicator.description)}
        {indicator.reference && fact(t('indicators.detail.reference'), indicator.reference)}
        {fact(
          t('indicators.detail.replica'),
          replica.copy
            ? t('indicators.detail.replicaCurrent', { version: replica.version })
            : t('indicators.detail.replicaMissing', { version: replica.version }),
        )}
      </dl>
      <h4>{t('indicators.sightings.title')}</h4>
      {sightings.length === 0 ? (
        <p>{t('indicators.sightings.none')}</p>
      ) : (
        <table id="indicator-sightings">
          <caption className="visually-hidden">{t('indicators.sightings.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('indicators.sightings.member')}</th>
              <th scope="col">{t('indicators.sightings.count')}</th>
              <th scope="col">{t('indicators.sightings.lastSeen')}</th>
            </tr>
          </thead>
          <tbody>
            {[...sightings].sort(bySightings).map((s) => (
              <tr key={s.memberId}>
                <th scope="row">{s.memberId}</th>
                <td className="number">{s.count}</td>
                <td>{time(s.lastSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {asking && <ConfirmChange kind={asking} value={indicator.value} onConfirm={(at) => change(asking, at)} onCancel={() => setAsking(undefined)} />}
    </section>
  );
}

/** Revoke or expire, asked in the browser's modal `<dialog>` (focus kept inside, Escape cancels); a refusal shows the API's message in it. */
function ConfirmChange({ kind, value, onConfirm, onCancel }: { kind: Change; value: string; onConfirm(at?: string): Promise<void>; onCancel(): void }) {
  const { t } = useLanguage();
  const { ref, titleId, problem, busy, run } = useModalDialog();
  const [at, setAt] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    // datetime-local is the person's local time; the API takes an ISO time with an offset.
    await run(() => onConfirm(at ? new Date(at).toISOString() : undefined));
  }

  return (
    <dialog ref={ref} id="indicator-confirm" aria-labelledby={titleId} onCancel={onCancel}>
      <form onSubmit={submit}>
        <h2 id={titleId}>{t(kind === 'revoke' ? 'indicators.revoke.title' : 'indicators.expire.title', { value })}</h2>
        <p>{t(kind === 'revoke' ? 'indicators.revoke.explain' : 'indicators.expire.explain')}</p>
        {kind === 'expire' && (
          <p>
            <label htmlFor="indicator-expire-at">{t('indicators.expire.at')}</label>{' '}
            <input id="indicator-expire-at" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
          </p>
        )}
        <DialogProblem id="indicator-confirm-error" problem={problem} />
        <p className="buttons">
          <button type="submit" id="indicator-confirm-yes" disabled={busy} autoFocus>
            {t(kind === 'revoke' ? 'indicators.revoke' : 'indicators.expire')}
          </button>{' '}
          <button type="button" className="secondary" onClick={onCancel}>
            {t('indicators.confirm.cancel')}
          </button>
        </p>
      </form>
    </dialog>
  );
}
