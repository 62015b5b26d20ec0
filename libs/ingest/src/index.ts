export { parseEventBody, type EventBodyProblem, type EventBodyResult } from './event-body';
export { stampEvent } from './stamp-event';
