import { correlatorClient, type CorrelatorPaths } from '@soc/api-client';

/**
 * The correlator's API through the console's proxy (`/api/correlator/*`, the person's token added
 * by the console), typed by libs/api-client's client generated from the correlator's OpenAPI document.
 */
export const correlator = correlatorClient('/api/correlator');

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type IndicatorPage = Json<CorrelatorPaths['/v1/indicators']['get']['responses'][200]>;
export type Indicator = IndicatorPage['indicators'][number];
export type IndicatorListQuery = NonNullable<CorrelatorPaths['/v1/indicators']['get']['parameters']['query']>;
export type IndicatorType = NonNullable<IndicatorListQuery['type']>;
export type IndicatorDetail = Json<CorrelatorPaths['/v1/indicators/{id}']['get']['responses'][200]>;
export type Sighting = IndicatorDetail['sightings'][number];
export type ImportQuery = CorrelatorPaths['/v1/indicators/import']['post']['parameters']['query'];
export type FeedFormat = ImportQuery['format'];
export type ImportAnswer = Json<CorrelatorPaths['/v1/indicators/import']['post']['responses'][200]>;

export const feedFormats: readonly FeedFormat[] = ['stix', 'misp', 'csv', 'threatfox'];
export const indicatorTypes: readonly IndicatorType[] = ['ipv4', 'ipv6', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256', 'email'];
