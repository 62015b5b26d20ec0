import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import {
  actorOf,
  ForwarderKeyAdministration,
  forwarderKeyDeclarationSchema,
  scopeOf,
  type ForwarderKeyAuditEntry,
  type ForwarderKeyRecord,
  type IssuedForwarderKey,
  type Principal,
} from '@soc/auth';
import { AllowRoles, BearerGuard, CurrentPrincipal, parseOr400 } from '@soc/platform';
import { forwarderKeyNotFound, parseBody } from './forwarder-keys.controller';

/** A member's own key: no `member_id` (the member is the token's; naming one is refused as an unknown field). */
export const createOwnKeySchema = forwarderKeyDeclarationSchema.extend({ label: z.string().max(200).default('') });
export const ownListQuerySchema = z.strictObject({});
export const ownAuditQuerySchema = z.strictObject({ size: z.coerce.number().int().min(1).max(1000).default(100) });

/**
 * A member's own forwarder keys: listed, issued, rotated, revoked by the member's staff. The member is
 * the token's, never the request's; the repository treats another member's key id exactly as a
 * missing one (404 `not_found`), and every change is audited as the SOC administrator's are.
 */
@Controller('v1/forwarder-keys')
@UseGuards(BearerGuard)
@AllowRoles('member')
export class MemberForwarderKeysController {
  constructor(private readonly keys: ForwarderKeyAdministration) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: unknown): Promise<{ keys: ForwarderKeyRecord[] }> {
    parseOr400(ownListQuerySchema, query, 'invalid_query');
    return { keys: await this.keys.list(scopeOf(principal)) };
  }

  @Get('audit')
  async audit(@CurrentPrincipal() principal: Principal, @Query() query: unknown): Promise<{ entries: ForwarderKeyAuditEntry[] }> {
    const { size } = parseOr400(ownAuditQuerySchema, query, 'invalid_query');
    return { entries: await this.keys.audit(scopeOf(principal), size) };
  }

  /** The key is in this answer only; it is stored hashed. */
  @Post()
  @HttpCode(HttpStatus.CREATED)
  async create(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<IssuedForwarderKey> {
    const { label, ...declared } = parseBody(createOwnKeySchema, body);
    return this.keys.create(actorOf(principal), ownMember(principal), label, declared);
  }

  @Post(':id/rotate')
  @HttpCode(HttpStatus.CREATED)
  async rotate(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<IssuedForwarderKey> {
    return (await this.keys.rotate(actorOf(principal), scopeOf(principal), id)) ?? forwarderKeyNotFound(id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    if (!(await this.keys.revoke(actorOf(principal), scopeOf(principal), id))) forwarderKeyNotFound(id);
  }
}

function ownMember(principal: Principal): string {
  // The guard lets only `member` tokens through, and those always name their member.
  if (principal.role !== 'member') throw new Error(`forwarder keys of a ${principal.role} token have no member`);
  return principal.member_id;
}
