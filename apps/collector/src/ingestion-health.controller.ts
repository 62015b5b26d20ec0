import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ForwarderKeyRepository, TokenVerifier } from '@soc/auth';
import { ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';
import { bearerPrincipal, collectorBearerRefusals, DeclareAccess, parseOr400, type RouteAccess } from '@soc/platform';
import { apiKeyFrom, authenticateForwarder } from './forwarder-auth';
import { IngestionMetrics, type MemberIngestionHealth } from './ingestion-metrics';

/** Checked in the handler (a key or a token) and stated in the route table from this one value. */
const access = { auth: 'forwarder-key-or-bearer', roles: ['member', 'soc_analyst', 'soc_admin'] } as const satisfies RouteAccess;

export const healthQuerySchema = z.strictObject({ member: z.string().min(1).max(100).optional() });

/**
 * Ingestion health per member. A forwarder key or a member token sees its own member; a SOC
 * analyst or admin token sees every member, or one with `?member=`.
 */
@Controller('v1/ingestion')
export class IngestionHealthController {
  constructor(
    private readonly metrics: IngestionMetrics,
    private readonly keys: ForwarderKeyRepository,
    private readonly verifier: TokenVerifier,
  ) {}

  @ApiQuery({ name: 'member', required: false, schema: { type: 'string', minLength: 1, maxLength: 100 } })
  @Get('health')
  @DeclareAccess(access)
  async health(@Headers() headers: Record<string, string | string[] | undefined>, @Query() query: unknown): Promise<{ members: MemberIngestionHealth[] }> {
    const scope = await this.scopeOf(headers);
    const { member } = parseOr400(healthQuerySchema, query, 'invalid_query');
    const memberId = scope ?? member;
    // Redis away: the error layer answers 503 unavailable with Retry-After; a bug stays a 500.
    return { members: await this.metrics.health(memberId) };
  }

  /** The one member the caller may see, or undefined for all members. */
  private async scopeOf(headers: Record<string, string | string[] | undefined>): Promise<string | undefined> {
    if (apiKeyFrom(headers)) return authenticateForwarder(this.keys, headers);
    const principal = await bearerPrincipal(this.verifier, headers, access.roles, collectorBearerRefusals);
    return principal.role === 'member' ? principal.member_id : undefined;
  }
}
