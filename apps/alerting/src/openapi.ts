import type { INestApplication } from '@nestjs/common';
import { serveOpenApi as serve, type OpenApiOptions } from '@soc/platform';
import { alertingContracts } from './openapi-contracts';

/** Each route's access is read from what `BearerGuard` enforces (`@AllowRoles`), or its `@DeclareAccess` (health). */
export const alertingOpenApi: OpenApiOptions = {
  title: 'Municipal SOC alerting API',
  description: 'Alerts, triage, incident queues, exceptions, webhooks and KL statistics; see docs/ALERTING.md and docs/API.md',
  contracts: alertingContracts,
};

/** Serves the OpenAPI document of the alerting API as JSON at `/openapi.json` (no auth: it holds no data). */
export function serveOpenApi(app: INestApplication): void {
  serve(app, alertingOpenApi);
}
