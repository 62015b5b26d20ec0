/**
 * How the product's indices are laid out on Elasticsearch (ES_REPLICAS, ES_EVENTS_SHARDS,
 * ES_EVENTS_REFRESH_INTERVAL, EVENTS_RETENTION_DAYS: docs/OPERATIONS.md, "Index settings and
 * retention"). Every caller of `ensureIndexTemplates` passes the same settings from the
 * configuration, so no app, CLI command or replica puts back a template with other values.
 */
export interface IndexSettings {
  /** Replicas of every index: 0 on one node; 1 or more on a cluster, so a lost node loses nothing. */
  replicas: number;
  /** Primary shards of each daily events index (the write-heavy one); other indices have one. */
  eventsShards: number;
  /** How often new events become searchable: longer is cheaper to index, shorter shows them sooner. */
  eventsRefreshInterval: string;
  /** Days after which a daily events index is deleted (0: never); see `EventsRetention`. */
  eventsRetentionDays: number;
}

/** One local node, events searchable within a second, nothing deleted: the development defaults. */
export const defaultIndexSettings: IndexSettings = { replicas: 0, eventsShards: 1, eventsRefreshInterval: '1s', eventsRetentionDays: 0 };
