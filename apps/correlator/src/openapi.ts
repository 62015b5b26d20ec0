import type { INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { guardsOf, serveOpenApi as serve, type OpenApiOptions, type RouteAccess } from '@soc/platform';
import { allowedRoles, BearerRolesGuard } from './http/bearer-roles.guard';

const reflector = new Reflector();

/** A route behind `BearerRolesGuard` allows the roles `@AllowRoles` grants (none without it); a route without guards is open. */
function accessOf(handler: object, controller: object): RouteAccess | undefined {
  const guards = guardsOf(handler, controller);
  if (guards.length === 0) return { auth: 'none' };
  if (guards.includes(BearerRolesGuard)) return { auth: 'bearer', roles: allowedRoles(reflector, handler, controller) };
  return undefined;
}

export const correlatorOpenApi: OpenApiOptions = {
  title: 'Municipal SOC correlator API',
  description: 'The shared indicator set (import, list, revoke, expire) and the replica\'s metrics; see docs/INDICATORS.md',
  access: accessOf,
};

/** Serves the OpenAPI document of the correlator API as JSON at `/openapi.json` (no auth: it holds no data). */
export function serveOpenApi(app: INestApplication): void {
  serve(app, correlatorOpenApi);
}
