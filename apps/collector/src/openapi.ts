import type { INestApplication } from '@nestjs/common';
import { serveOpenApi as serve, type OpenApiOptions } from '@soc/platform';
import { collectorContracts } from './openapi-contracts';

/**
 * Each route's access is read from the metadata its check enforces: `BearerGuard` with
 * `@AllowRoles` on the key administration, `@DeclareAccess` where the handler checks a forwarder
 * key or a token itself, `@DeclareAccess({ auth: 'none' })` on health and metrics.
 */
export const collectorOpenApi: OpenApiOptions = {
  title: 'Municipal SOC collector API',
  description: 'Event ingest (forwarder keys), ingestion health, forwarder key administration; see docs/INGEST.md',
  contracts: collectorContracts,
};

/** Serves the OpenAPI document of the collector API as JSON at `/openapi.json` (no auth: it holds no data). */
export function serveOpenApi(app: INestApplication): void {
  serve(app, collectorOpenApi);
}
