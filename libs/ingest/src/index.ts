export { parseEventBody, type EventBodyProblem, type EventBodyResult } from './event-body';
export { stampEvent, wasRetimed } from './stamp-event';
export { canonicaliseEvent, defaultEventLimits, type EventLimits, type CanonicalResult } from './canonical-event';
export { checkIndexedFields } from './indexed-field-check';
export { readInboundEvent, describeProblems, type InboundEventResult } from './inbound-event';
