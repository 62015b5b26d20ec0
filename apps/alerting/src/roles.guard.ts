import { CanActivate, ExecutionContext, ForbiddenException, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal, Role } from '@soc/auth';

const ROLES = 'roles';

/** The roles allowed on a controller or route; checked after `BearerAuthGuard`. */
export const AllowRoles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** The roles `@AllowRoles` grants on a route (the handler's overriding the controller's); read by the guard and the route table. */
export function allowedRoles(reflector: Reflector, handler: object, controller: object): Role[] {
  return reflector.getAllAndOverride<Role[] | undefined>(ROLES, [handler as () => void, controller as () => void]) ?? [];
}

/** Denies by default: a route without `@AllowRoles` is open to no role. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const allowed = allowedRoles(this.reflector, context.getHandler(), context.getClass());
    const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
    if (!principal || !allowed.includes(principal.role)) {
      throw new ForbiddenException({ error: 'forbidden', message: `role ${principal?.role ?? 'none'} may not use this endpoint` });
    }
    return true;
  }
}
