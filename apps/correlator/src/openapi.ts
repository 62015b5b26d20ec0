import type { INestApplication } from '@nestjs/common';
import { serveOpenApi as serve, type OpenApiOptions } from '@soc/platform';
import { correlatorContracts } from './openapi-contracts';

/** Each route's access is read from what `BearerGuard` enforces (`@AllowRoles`), or its `@DeclareAccess` (health, metrics). */
export const correlatorOpenApi: OpenApiOptions = {
  title: 'Municipal SOC correlator API',
  description:
    "The shared indicator set (import, list, revoke, expire; docs/INDICATORS.md), the rule catalogue (list, enable/disable rules and folders, levels, tunings, custom rules, revision; docs/RULES.md) and the replica's metrics",
  contracts: correlatorContracts,
};

/** Serves the OpenAPI document of the correlator API as JSON at `/openapi.json` (no auth: it holds no data). */
export function serveOpenApi(app: INestApplication): void {
  serve(app, correlatorOpenApi);
}
