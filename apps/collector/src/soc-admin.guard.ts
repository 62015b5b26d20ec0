import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { TokenVerifier } from '@soc/auth';
import type { FastifyRequest } from 'fastify';
import { bearerPrincipal } from './bearer-principal';

/** Lets through only a valid bearer token with role `soc_admin` (keys are an admin matter). */
@Injectable()
export class SocAdminGuard implements CanActivate {
  constructor(private readonly verifier: TokenVerifier) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    bearerPrincipal(this.verifier, request.headers, ['soc_admin']);
    return true;
  }
}
