import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { TokenVerifier, type Role } from '@soc/auth';
import type { FastifyRequest } from 'fastify';
import { bearerPrincipal } from './bearer-principal';

/** Lets through only a valid bearer token with role `soc_admin` (keys are an admin matter). */
@Injectable()
export class SocAdminGuard implements CanActivate {
  /** The roles this guard lets through; the route table (openapi.ts) reads the same list. */
  static readonly roles: readonly Role[] = ['soc_admin'];

  constructor(private readonly verifier: TokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    await bearerPrincipal(this.verifier, request.headers, SocAdminGuard.roles);
    return true;
  }
}
