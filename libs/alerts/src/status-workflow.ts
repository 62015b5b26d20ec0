import type { AlertStatus } from '@soc/contracts';

/**
 * Which status may follow which. Closing (resolved, false_positive, duplicate) needs a reason;
 * a closed alert can only be reopened (in_progress), never sent back to new or acknowledged.
 */
export const allowedTransitions: Record<AlertStatus, readonly AlertStatus[]> = {
  new: ['acknowledged', 'in_progress', 'resolved', 'false_positive', 'duplicate'],
  acknowledged: ['in_progress', 'resolved', 'false_positive', 'duplicate'],
  in_progress: ['resolved', 'false_positive', 'duplicate'],
  resolved: ['in_progress'],
  false_positive: ['in_progress'],
  duplicate: ['in_progress'],
};

export const statusesNeedingReason: readonly AlertStatus[] = ['resolved', 'false_positive', 'duplicate'];

export class InvalidTransitionError extends Error {
  readonly code = 'invalid_transition';
}

export class ReasonRequiredError extends Error {
  readonly code = 'reason_required';
}

/** Throws with a message naming from and to when the move is not allowed. */
export function checkTransition(from: AlertStatus, to: AlertStatus, reason?: string): void {
  const allowed = allowedTransitions[from];
  if (!allowed.includes(to)) {
    throw new InvalidTransitionError(`cannot move an alert from ${from} to ${to} (allowed from ${from}: ${allowed.join(', ')})`);
  }
  if (statusesNeedingReason.includes(to) && !reason?.trim()) {
    throw new ReasonRequiredError(`a reason is required to move an alert to ${to}`);
  }
}
