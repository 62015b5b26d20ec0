/** The feeds of `TAXII_FEEDS_FILE`, validated, credentials resolved (an empty list without the file). */
export const TAXII_FEEDS = Symbol('TAXII_FEEDS');
/** The TAXII puller's own Redis client: fails fast, so an outage fails a pull instead of hanging it. */
export const TAXII_REDIS = Symbol('TAXII_REDIS');
