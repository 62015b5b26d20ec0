export { EventsStream, type AppendedBatch } from './events.stream';
export { RedisStreamsServer, type RedisStreamsServerOptions } from './redis-streams.server';
export { StreamBatchContext } from './stream-batch.context';
