import { collectorClient, type CollectorPaths } from '@soc/api-client';

/**
 * The collector's API through the console's proxy (`/api/collector/*`, the person's token added
 * by the console), typed by libs/api-client's client generated from the collector's OpenAPI document.
 */
export const collector = collectorClient('/api/collector');

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type IngestionHealthAnswer = Json<CollectorPaths['/v1/ingestion/health']['get']['responses'][200]>;
export type MemberHealth = IngestionHealthAnswer['members'][number];
