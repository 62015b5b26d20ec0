import { useState, type FormEvent, type ReactNode } from 'react';
import { alerting } from '../api';
import { useLanguage } from '../language';
import { bodyOf, problemsByField, type ConditionDraft, type ExceptionDraft } from './exception-view';
import type { ApiProblem, CreatedException } from './exceptions-api';

const dayMs = 86_400_000;
const ops: ReadonlyArray<ConditionDraft['op']> = ['equals', 'in', 'cidr'];
const emptyCondition = (): ConditionDraft => ({ field: 'source.ip', op: 'equals', value: '' });

/** A field's API problems, under it, and the attributes that tie them to the input. */
function problemOf(problems: Record<string, string[]>, key: string, id: string): { attributes: object; note: ReactNode } {
  const messages = problems[key];
  if (!messages) return { attributes: {}, note: null };
  return {
    attributes: { 'aria-invalid': true, 'aria-describedby': `${id}-error` },
    note: (
      <span id={`${id}-error`} className="error field-error" data-field={key}>
        {messages.join('; ')}
      </span>
    ),
  };
}

/**
 * `POST /exceptions` for soc_admin: rule, scope, conditions, owner, reason, last valid day. The
 * API checks the body and names each failing field; its messages are shown next to the fields.
 */
export function ExceptionForm({ owner, onCreated }: { owner: string; onCreated(exception: CreatedException): void }) {
  const { t } = useLanguage();
  const [draft, setDraft] = useState<ExceptionDraft>(() => ({
    rule_id: '',
    scope: 'member',
    member_id: '',
    conditions: [emptyCondition()],
    owner,
    reason: '',
    expires_on: new Date(Date.now() + 30 * dayMs).toISOString().slice(0, 10),
  }));
  const [problems, setProblems] = useState<Record<string, string[]>>({});
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);

  const set = (change: Partial<ExceptionDraft>) => setDraft((before) => ({ ...before, ...change }));
  const setCondition = (index: number, change: Partial<ConditionDraft>) =>
    setDraft((before) => ({ ...before, conditions: before.conditions.map((c, i) => (i === index ? { ...c, ...change } : c)) }));

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const result = await alerting.POST('/exceptions', { body: bodyOf(draft) });
      if (result.data && result.response.ok) {
        setProblems({});
        setOutcome({ ok: true, text: t('exceptions.form.created', { id: result.data.id }) });
        onCreated(result.data);
        return;
      }
      const error = (result.error ?? {}) as { message?: string; problems?: ApiProblem[] };
      setProblems(problemsByField(error.problems ?? []));
      setOutcome({ ok: false, text: t('exceptions.form.invalid', { message: error.message ?? `HTTP ${result.response.status}` }) });
    } catch (error) {
      setOutcome({ ok: false, text: t('app.error', { message: (error as Error).message }) });
    } finally {
      setBusy(false);
    }
  }

  const rule = problemOf(problems, 'rule_id', 'new-exception-rule');
  const scope = problemOf(problems, 'scope', 'new-exception-member');
  const conditions = problemOf(problems, 'conditions', 'new-exception-conditions');
  const ownerProblem = problemOf(problems, 'owner', 'new-exception-owner');
  const reason = problemOf(problems, 'reason', 'new-exception-reason');
  const expires = problemOf(problems, 'expires_at', 'new-exception-expires');
  const general = problems['form'];

  return (
    <section aria-labelledby="new-exception-title">
      <h3 id="new-exception-title">{t('exceptions.form.title')}</h3>
      <form id="new-exception-form" onSubmit={create} noValidate>
        <p>
          <label htmlFor="new-exception-rule">{t('exceptions.form.rule')}</label>
          <br />
          <input id="new-exception-rule" value={draft.rule_id} onChange={(e) => set({ rule_id: e.target.value })} {...rule.attributes} /> {rule.note}
        </p>
        <fieldset>
          <legend>{t('exceptions.form.scope')}</legend>
          <label>
            <input
              type="radio"
              name="new-exception-scope"
              id="new-exception-scope-member"
              checked={draft.scope === 'member'}
              onChange={() => set({ scope: 'member' })}
            />{' '}
            {t('exceptions.form.scopeMember')}
          </label>{' '}
          <label>
            <input
              type="radio"
              name="new-exception-scope"
              id="new-exception-scope-global"
              checked={draft.scope === 'global'}
              onChange={() => set({ scope: 'global' })}
            />{' '}
            {t('exceptions.form.scopeGlobal')}
          </label>
          {draft.scope === 'member' && (
            <p>
              <label htmlFor="new-exception-member">{t('exceptions.form.member')}</label>{' '}
              <input
                id="new-exception-member"
                value={draft.member_id}
                inputMode="numeric"
                size={6}
                onChange={(e) => set({ member_id: e.target.value })}
                {...scope.attributes}
              />{' '}
              {scope.note}
            </p>
          )}
          {draft.scope === 'global' && scope.note}
        </fieldset>
        <fieldset id="new-exception-conditions" {...conditions.attributes}>
          <legend>{t('exceptions.form.conditions')}</legend>
          {conditions.note}
          {draft.conditions.map((condition, index) => {
            const row = problemOf(problems, `conditions.${index}`, `new-exception-condition-${index}`);
            const n = index + 1;
            return (
              <fieldset key={index} className="condition" data-index={index}>
                <legend>{t('exceptions.form.conditionN', { n })}</legend>
                <label>
                  {t('exceptions.form.field')}{' '}
                  <input
                    id={`new-exception-field-${index}`}
                    value={condition.field}
                    onChange={(e) => setCondition(index, { field: e.target.value })}
                    {...row.attributes}
                  />
                </label>{' '}
                <label>
                  {t('exceptions.form.op')}{' '}
                  <select
                    id={`new-exception-op-${index}`}
                    value={condition.op}
                    onChange={(e) => setCondition(index, { op: e.target.value as ConditionDraft['op'] })}
                  >
                    {ops.map((op) => (
                      <option key={op} value={op}>
                        {t(`exceptions.form.op.${op}`)}
                      </option>
                    ))}
                  </select>
                </label>{' '}
                <label>
                  {t('exceptions.form.value')}{' '}
                  <input
                    id={`new-exception-value-${index}`}
                    value={condition.value}
                    onChange={(e) => setCondition(index, { value: e.target.value })}
                    {...row.attributes}
                  />
                </label>{' '}
                {draft.conditions.length > 1 && (
                  <button type="button" className="secondary" onClick={() => set({ conditions: draft.conditions.filter((_, i) => i !== index) })}>
                    {t('exceptions.form.removeCondition', { n })}
                  </button>
                )}{' '}
                {row.note}
              </fieldset>
            );
          })}
          <button
            type="button"
            id="new-exception-add-condition"
            className="secondary"
            onClick={() => set({ conditions: [...draft.conditions, emptyCondition()] })}
          >
            {t('exceptions.form.addCondition')}
          </button>
        </fieldset>
        <p>
          <label htmlFor="new-exception-owner">{t('exceptions.form.owner')}</label>
          <br />
          <input id="new-exception-owner" value={draft.owner} onChange={(e) => set({ owner: e.target.value })} {...ownerProblem.attributes} />{' '}
          {ownerProblem.note}
        </p>
        <p>
          <label htmlFor="new-exception-reason">{t('exceptions.form.reason')}</label>
          <br />
          <textarea
            id="new-exception-reason"
            rows={2}
            cols={60}
            value={draft.reason}
            onChange={(e) => set({ reason: e.target.value })}
            {...reason.attributes}
          />{' '}
          {reason.note}
        </p>
        <p>
          <label htmlFor="new-exception-expires">{t('exceptions.form.expires')}</label>
          <br />
          <input
            id="new-exception-expires"
            type="date"
            value={draft.expires_on}
            onChange={(e) => set({ expires_on: e.target.value })}
            {...expires.attributes}
          />{' '}
          {expires.note}
        </p>
        {general && (
          <p className="error" data-field="form">
            {general.join('; ')}
          </p>
        )}
        <p>
          <button type="submit" id="new-exception-create" disabled={busy}>
            {t('exceptions.form.create')}
          </button>
        </p>
        {outcome && (
          <p id="new-exception-outcome" role={outcome.ok ? 'status' : 'alert'} className={outcome.ok ? 'ok' : 'error'} data-ok={outcome.ok}>
            {outcome.text}
          </p>
        )}
      </form>
    </section>
  );
}
