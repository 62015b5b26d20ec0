export * from './dead-letter';
export type { DeadLetterStore } from './dead-letter-store';
export { IngestDeadLetters, IndexDeadLetters, StreamDeadLetters, replayForField } from './redis-stream-stores';
export { WebhookDeadLetters } from './webhook-store';
export { deadLetterStores } from './dead-letter-stores';
export { DeadLetterOperations, maxReplayPerRequest, type AuditDeadLetter, type DeadLetterActor, type DeadLetterAuditRecord } from './dead-letter-operations';
export { eventOfIngestDeadLetter, ingestReplayer, replayedEventId, type IngestReadOptions } from './ingest-replay';
