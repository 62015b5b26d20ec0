import type { ApiProblem, ConditionInput, ExceptionInput, ExceptionItem } from './exceptions-api';

/**
 * What the exceptions page computes from alerting's answers (docs/CONSOLE.md, "Exceptions"):
 * an exception's state, the filters, how a condition is written, the create form's body, and the
 * API's field problems placed next to the form's fields. Pure: the page passes the time.
 */

/** `active` until `expires_at`; `expired` once soc_admin expired it (`expired_at`), `lapsed` once `expires_at` passed. */
export type ExceptionState = 'active' | 'expired' | 'lapsed';

export function stateOf(exception: Pick<ExceptionItem, 'expires_at' | 'expired_at'>, now: number): ExceptionState {
  if (exception.expired_at) return 'expired';
  return Date.parse(exception.expires_at) > now ? 'active' : 'lapsed';
}

export interface ExceptionFilter {
  /** `expired` takes both the expired and the lapsed ones: neither suppresses anything. */
  state: 'all' | 'active' | 'expired';
  /** `all`, `global` (the exceptions for every member), or a member id. */
  scope: string;
}

export function matchesFilter(exception: ExceptionItem, filter: ExceptionFilter, now: number): boolean {
  const state = stateOf(exception, now);
  if (filter.state === 'active' && state !== 'active') return false;
  if (filter.state === 'expired' && state === 'active') return false;
  if (filter.scope === 'all') return true;
  if (filter.scope === 'global') return exception.scope.kind === 'global';
  return exception.scope.kind === 'member' && exception.scope.member_id === filter.scope;
}

/** The member ids the list names, for the scope filter, in order. */
export function membersOf(exceptions: readonly ExceptionItem[]): string[] {
  return [...new Set(exceptions.flatMap((e) => (e.scope.kind === 'member' ? [e.scope.member_id] : [])))].sort();
}

/** `source.ip = 198.51.100.7`, `user.name in a, b`, `source.ip cidr 10.0.0.0/8`; a member's view of a global exception has no value. */
export function conditionText(condition: ExceptionItem['conditions'][number]): string {
  const { field, op } = condition;
  const values = Array.isArray(condition['values']) ? (condition['values'] as unknown[]).map(String).join(', ') : undefined;
  const value = typeof condition['value'] === 'string' ? condition['value'] : values;
  const sign = op === 'equals' ? '=' : op;
  return value === undefined ? `${field} ${sign} …` : `${field} ${sign} ${value}`;
}

/** One row of the create form's conditions, as typed. */
export interface ConditionDraft {
  field: string;
  op: ConditionInput['op'];
  /** One value; for `in` a comma-separated list. */
  value: string;
}

export interface ExceptionDraft {
  rule_id: string;
  scope: 'member' | 'global';
  member_id: string;
  conditions: ConditionDraft[];
  owner: string;
  reason: string;
  /** The last day it holds (yyyy-mm-dd): it runs out at the end of that day, UTC. */
  expires_on: string;
}

/**
 * The body of `POST /exceptions` as typed: nothing is checked here, the API checks it and names
 * each failing field (`problems`), which the page shows next to that field.
 */
export function bodyOf(draft: ExceptionDraft): ExceptionInput {
  const condition = ({ field, op, value }: ConditionDraft): ConditionInput =>
    op === 'in'
      ? {
          field: field.trim(),
          op,
          values: value
            .split(',')
            .map((v) => v.trim())
            .filter((v) => v !== ''),
        }
      : { field: field.trim(), op, value: value.trim() };
  return {
    rule_id: draft.rule_id.trim(),
    scope: draft.scope === 'global' ? { kind: 'global' } : { kind: 'member', member_id: draft.member_id.trim() },
    conditions: draft.conditions.map(condition),
    owner: draft.owner.trim(),
    reason: draft.reason.trim(),
    expires_at: draft.expires_on ? `${draft.expires_on}T23:59:59Z` : '',
  };
}

/**
 * The API's problems by the form field they belong to: `rule_id`, `scope` (also `scope.member_id`),
 * `conditions` (the list itself), `conditions.<n>` (one row, any of its parts), `owner`, `reason`,
 * `expires_at`; anything else under `form`.
 */
export function problemsByField(problems: readonly ApiProblem[]): Record<string, string[]> {
  const byField: Record<string, string[]> = {};
  for (const { path, message } of problems) {
    const [head, second] = path.split('.');
    const key =
      head === 'conditions' && second !== undefined && /^\d+$/.test(second)
        ? `conditions.${second}`
        : ['rule_id', 'scope', 'conditions', 'owner', 'reason', 'expires_at'].includes(head!)
          ? head!
          : 'form';
    (byField[key] ??= []).push(path === key ? message : `${path}: ${message}`);
  }
  return byField;
}
