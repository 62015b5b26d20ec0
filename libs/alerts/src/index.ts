// The alert domain, pure (zod and @soc/contracts only): what an alert is and how it changes.
// Storage (libs/storage) and the alerting app's workers and controllers only wire it to I/O.
export { assessRisk, severityOfScore, type RiskAssessment } from './risk-score';
export {
  ExceptionIndex,
  exceptionConditionSchema,
  exceptionInputSchema,
  isActive,
  matchingException,
  maxExceptionConditions,
  type AlertException,
  type ExceptionCondition,
  type ExceptionInput,
} from './alert-exception';
export {
  alertId,
  alertKey,
  alertRaisedBy,
  bringsNewObservable,
  canRaiseAlert,
  closedStatuses,
  foldDetection,
  isClosed,
  newAlert,
  placeDetection,
  type AlertPlacement,
  type Placement,
  type StoredAlert,
} from './alert-lifecycle';
export { presentAlert } from './alert-presenter';
export { isVisibleTo, presentException, type ExceptionView, type MemberExceptionView } from './exception-presenter';
export { allowedTransitions, checkTransition, InvalidTransitionError, ReasonRequiredError, statusesNeedingReason } from './status-workflow';
export { escalated, maxEscalationLevel } from './escalation';
export { incidentPriority, isBeingWorked } from './incident-priority';
