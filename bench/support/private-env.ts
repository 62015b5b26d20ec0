/**
 * The environment of product processes a benchmark starts under a prefix of its own
 * (`bench:<id>` keys, `bench-<id>-*` indices and queue), on the local Redis and Elasticsearch
 * unless REDIS_URL / ELASTICSEARCH_URL say otherwise; the benchmark removes them at the end.
 */
export function privateBenchEnv(id: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    JWT_SECRET: `bench-${id}-0123456789abcdef0123456789`,
    KEY_PREFIX: `bench:${id}`,
    ELASTICSEARCH_URL: process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200',
    INDEX_PREFIX: `bench-${id}`,
    EVENTS_STREAM: `bench:${id}:events`,
    DETECTIONS_QUEUE: `bench-${id}-detections`,
  };
}
