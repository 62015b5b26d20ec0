import { SetMetadata } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import type { Role } from '@soc/auth';

/**
 * Who may call a route; the bearer guard enforces it and the OpenAPI document states it
 * (`x-auth`, `x-roles`) from this one piece of metadata:
 * - `none`: no credentials (health, metrics, the OpenAPI document);
 * - `bearer`: a JWT whose role is one of `roles` (`@AllowRoles`, enforced by `BearerGuard`);
 * - `forwarder-key`: a member's forwarder key (`Authorization: ApiKey <key>`);
 * - `forwarder-key-or-bearer`: either, a token's role being one of `roles`.
 */
export type RouteAccess =
  { auth: 'none' } | { auth: 'bearer'; roles: readonly Role[] } | { auth: 'forwarder-key' } | { auth: 'forwarder-key-or-bearer'; roles: readonly Role[] };

const ROUTE_ACCESS = 'soc:route-access';

/**
 * Declares a route's access (on a handler or its controller; the handler's wins). For bearer
 * routes use `@AllowRoles`; declare directly only open routes and routes whose handler checks
 * credentials itself, which must then enforce the same value (pass both one constant).
 */
export const DeclareAccess = (access: RouteAccess) => SetMetadata(ROUTE_ACCESS, access);

/** The roles a bearer route allows, checked by `BearerGuard` (which must be on the route too). */
export const AllowRoles = (...roles: Role[]) => DeclareAccess({ auth: 'bearer', roles });

/** The access a route declared, on the handler or (else) its controller. */
export function declaredAccess(handler: object, controller: object): RouteAccess | undefined {
  return (Reflect.getMetadata(ROUTE_ACCESS, handler) ?? Reflect.getMetadata(ROUTE_ACCESS, controller)) as RouteAccess | undefined;
}

/** The guard classes on a route (`@UseGuards` on its controller and on the handler). */
export function guardsOf(handler: object, controller: object): unknown[] {
  return [...((Reflect.getMetadata(GUARDS_METADATA, controller) as unknown[]) ?? []), ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[]) ?? [])];
}

/**
 * The roles `BearerGuard` lets through on a route: those `@AllowRoles` grants, none without it
 * (deny by default, also when the route declared another kind of access).
 */
export function bearerRolesOf(handler: object, controller: object): readonly Role[] {
  const access = declaredAccess(handler, controller);
  return access?.auth === 'bearer' ? access.roles : [];
}
