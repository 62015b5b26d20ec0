// Public API of @soc/indicator-store: the shared indicator set in Redis and each replica's live copy.
export { IndicatorRepository, type IndicatorQuery, type IndicatorPage, type IndicatorChange } from './indicator.repository';
export { isScanCursor, InvalidScanCursorError } from './scan-cursor';
export { IndicatorSightingsRepository, type NewIndicatorSighting, type MemberSightings } from './indicator-sightings.repository';
export { LiveIndicatorIndex, type LiveIndicatorIndexOptions } from './live-indicator-index';
export { indicatorToJson, indicatorFromJson } from './indicator-json';
export { readIndicatorFeed, indicatorFeedFormats, type IndicatorFeedFormat, type FeedAddressRule } from './indicator-feed';
export { TaxiiCollectionClient, TaxiiRequestError, type TaxiiObjectsPage } from './taxii/taxii-collection.client';
export { TaxiiFeedStateRepository, type TaxiiFeedLock } from './taxii/taxii-feed-state.repository';
export { emptyTaxiiFeedStatus, type TaxiiFeedStatus, type TaxiiPullReport } from './taxii/taxii-feed-status';
export { TaxiiFeedPuller, type TaxiiFeedPullerOptions, type TaxiiPullOutcome } from './taxii/taxii-feed-puller';
