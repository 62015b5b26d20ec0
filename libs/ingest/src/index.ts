export { parseEventBody, type EventBodyFormat, type EventBodyProblem, type EventBodyResult } from './event-body';
export { eventOfRawLine, isLogFormat, logFormats, normaliseInboundRecord, unparsedTag, type InboundFormatContext, type LogFormat } from './inbound-format';
export { stampEvent, wasRetimed } from './stamp-event';
export { canonicaliseEvent, defaultEventLimits, type EventLimits, type CanonicalResult } from './canonical-event';
export { checkIndexedFields } from './indexed-field-check';
export { readInboundEvent, describeProblems, type InboundEventResult } from './inbound-event';
