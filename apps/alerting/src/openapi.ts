import type { INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { guardsOf, serveOpenApi as serve, type OpenApiOptions, type RouteAccess } from '@soc/platform';
import { allowedRoles, RolesGuard } from './roles.guard';

const reflector = new Reflector();

/** A route behind `RolesGuard` allows the roles `@AllowRoles` grants (none without it); a route without guards is open. */
function accessOf(handler: object, controller: object): RouteAccess | undefined {
  const guards = guardsOf(handler, controller);
  if (guards.length === 0) return { auth: 'none' };
  if (guards.includes(RolesGuard)) return { auth: 'bearer', roles: allowedRoles(reflector, handler, controller) };
  return undefined;
}

export const alertingOpenApi: OpenApiOptions = {
  title: 'Municipal SOC alerting API',
  description: 'Alerts, triage, incident queues, exceptions, webhooks and KL statistics; see docs/ALERTING.md and docs/API.md',
  access: accessOf,
};

/** Serves the OpenAPI document of the alerting API as JSON at `/openapi.json` (no auth: it holds no data). */
export function serveOpenApi(app: INestApplication): void {
  serve(app, alertingOpenApi);
}
