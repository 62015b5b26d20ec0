export { EventsStream, ReplicaConfirmationError, noReplicaConfirmation, type AppendedBatch, type ReplicaConfirmation } from './events.stream';
export { EventStreamPartitions, eventStreamPartitions, maxPartitions, memberHash } from './event-stream-partitions';
export { compareStreamIds, trimThreshold, type GroupPosition } from './stream-trim';
export { RedisStreamsServer, type RedisStreamsServerOptions } from './redis-streams.server';
export { StreamBatchContext } from './stream-batch.context';
export { hasStreamBatchShape } from './stream-batch-shape';
