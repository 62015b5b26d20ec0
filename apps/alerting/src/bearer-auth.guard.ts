import { CanActivate, ExecutionContext, Injectable, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import { InvalidTokenError, TokenVerifier, type Principal } from '@soc/auth';

/** Verifies `Authorization: Bearer <jwt>` with the app's `TokenVerifier` and attaches the principal to the request. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly verifier: TokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers['authorization'] ?? '');
    if (!match) throw new UnauthorizedException({ error: 'unauthenticated', message: 'send "Authorization: Bearer <token>"' });
    try {
      request.principal = await this.verifier.verify(match[1]!);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException({ error: 'unauthenticated', message: error.message });
      throw error;
    }
    return true;
  }
}

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
