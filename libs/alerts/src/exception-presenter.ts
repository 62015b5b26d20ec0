import type { AccessScope } from '@soc/contracts';
import type { AlertException, ExceptionCondition } from './alert-exception';

/**
 * What a member sees of an exception that is not its own (a global one): that a rule is
 * suppressed for it too, on which fields, and until when. Nothing else: a global exception is
 * often made from one member's alert, and its condition values (an attacker's address, a user
 * name at that member), source alert id, reason, owner, creator and creation time could lead
 * back to that member or its alert (alert ids are hashes of rule, member and group key).
 */
export interface MemberExceptionView {
  id: string;
  scope: { kind: 'global' };
  rule_id: string;
  /** Which fields the exception tests and how; never the values. */
  conditions: Array<{ field: string; op: ExceptionCondition['op'] }>;
  expires_at: string;
  expired_at?: string;
}

export type ExceptionView = AlertException | MemberExceptionView;

/** Whether the caller sees this exception at all: SOC roles all, a member global ones and its own. */
export function isVisibleTo(exception: AlertException, scope: AccessScope): boolean {
  return scope.kind === 'all-members' || exception.scope.kind === 'global' || exception.scope.member_id === scope.memberId;
}

/**
 * An exception as the caller may see it (call `isVisibleTo` first): SOC roles and the member an
 * exception belongs to see it in full; any other member sees the member view of a global one.
 */
export function presentException(exception: AlertException, scope: AccessScope): ExceptionView {
  if (scope.kind === 'all-members') return exception;
  if (exception.scope.kind === 'member' && exception.scope.member_id === scope.memberId) return exception;
  return {
    id: exception.id,
    scope: { kind: 'global' },
    rule_id: exception.rule_id,
    conditions: exception.conditions.map(({ field, op }) => ({ field, op })),
    expires_at: exception.expires_at,
    ...(exception.expired_at ? { expired_at: exception.expired_at } : {}),
  };
}
