import type { INestApplication } from '@nestjs/common';
import { declaredAccess, guardsOf, HealthController, serveOpenApi as serve, type OpenApiOptions, type RouteAccess } from '@soc/platform';
import { MetricsController } from './metrics.controller';
import { SocAdminGuard } from './soc-admin.guard';

/** Probes and the scrape endpoint answer without credentials (bind them to an internal interface). */
const openControllers: readonly object[] = [HealthController, MetricsController];

/**
 * The collector checks credentials in two ways: `SocAdminGuard` on the key administration, and
 * in the handler (forwarder key or token) where a route declares its access with `@DeclareAccess`.
 */
function accessOf(handler: object, controller: object): RouteAccess | undefined {
  const declared = declaredAccess(handler, controller);
  if (declared) return declared;
  if (guardsOf(handler, controller).includes(SocAdminGuard)) return { auth: 'bearer', roles: SocAdminGuard.roles };
  if (openControllers.includes(controller)) return { auth: 'none' };
  return undefined;
}

export const collectorOpenApi: OpenApiOptions = {
  title: 'Municipal SOC collector API',
  description: 'Event ingest (forwarder keys), ingestion health, forwarder key administration; see docs/INGEST.md',
  access: accessOf,
};

/** Serves the OpenAPI document of the collector API as JSON at `/openapi.json` (no auth: it holds no data). */
export function serveOpenApi(app: INestApplication): void {
  serve(app, collectorOpenApi);
}
