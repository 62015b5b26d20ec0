import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InvalidTokenError, TokenVerifier, type Principal, type Role } from '@soc/auth';

const ROLES = 'correlator:roles';

/** The roles allowed on a controller or route. */
export const AllowRoles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** The roles `@AllowRoles` grants on a route (the handler's overriding the controller's); read by the guard and the route table. */
export function allowedRoles(reflector: Reflector, handler: object, controller: object): Role[] {
  return reflector.getAllAndOverride<Role[] | undefined>(ROLES, [handler as () => void, controller as () => void]) ?? [];
}

type AuthenticatedRequest = { headers: Record<string, string | undefined>; principal?: Principal };

/**
 * `Authorization: Bearer <jwt>` verified, then the principal's role checked against `@AllowRoles`.
 * Denies by default: a route without `@AllowRoles` is open to no role.
 */
@Injectable()
export class BearerRolesGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers['authorization'] ?? '');
    if (!match) throw new UnauthorizedException({ error: 'unauthenticated', message: 'send "Authorization: Bearer <token>"' });
    try {
      request.principal = await this.verifier.verify(match[1]!);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException({ error: 'unauthenticated', message: error.message });
      throw error;
    }
    const allowed = allowedRoles(this.reflector, context.getHandler(), context.getClass());
    if (!allowed.includes(request.principal.role)) {
      throw new ForbiddenException({ error: 'forbidden', message: `role ${request.principal.role} may not use this endpoint` });
    }
    return true;
  }
}

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
