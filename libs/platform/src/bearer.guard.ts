import { Inject, Injectable, Optional, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { TokenVerifier, type Principal } from '@soc/auth';
import { apiBearerRefusals, bearerPrincipal, type BearerRefusals } from './bearer-auth';
import { bearerRolesOf } from './route-access';

/** The app's wording of the bearer refusals (`coreProviders({ bearerRefusals })`); `apiBearerRefusals` without it. */
export const BEARER_REFUSALS = Symbol('BEARER_REFUSALS');

type AuthenticatedRequest = { headers: Record<string, string | string[] | undefined>; principal?: Principal };

/**
 * `Authorization: Bearer <jwt>` verified with the app's `TokenVerifier`, then the principal's
 * role checked against the route's `@AllowRoles`, and the principal attached to the request
 * (`@CurrentPrincipal()`). Denies by default: a route without `@AllowRoles` is open to no role.
 */
@Injectable()
export class BearerGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    @Optional() @Inject(BEARER_REFUSALS) private readonly refusals: BearerRefusals = apiBearerRefusals,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const allowed = bearerRolesOf(context.getHandler(), context.getClass());
    request.principal = await bearerPrincipal(this.verifier, request.headers, allowed, this.refusals ?? apiBearerRefusals);
    return true;
  }
}

/** The principal `BearerGuard` verified for this request. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
