/**
 * The Redis and Elasticsearch every integration and e2e test talks to: the ones
 * `scripts/services.sh` starts, unless REDIS_URL / ELASTICSEARCH_URL name others. Tests read
 * these two variables here and nowhere else (the apps read theirs through libs/config).
 */
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const elasticsearchUrl = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
