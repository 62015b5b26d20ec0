import { Body, Controller, Delete, Get, HttpCode, HttpException, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import {
  actorOf,
  ForwarderKeyAdministration,
  forwarderKeyDeclarationSchema,
  type ForwarderKeyAuditEntry,
  type ForwarderKeyRecord,
  type IssuedForwarderKey,
  type Principal,
} from '@soc/auth';
import { allMembers, describeZodError } from '@soc/contracts';
import { MemberDirectory } from '@soc/members';
import { AllowRoles, BearerGuard, CurrentPrincipal, parseOr400 } from '@soc/platform';

/** The member and label, and what the key's forwarder declares it sends (format, dataset, time_zone: docs/FORWARDERS.md). */
export const createKeySchema = forwarderKeyDeclarationSchema.extend({
  member_id: z.string().min(1).max(100),
  label: z.string().max(200).default(''),
});
export const listQuerySchema = z.strictObject({ member: z.string().min(1).max(100).optional() });
/** The newest `size` changes (`member`: of one member's keys). */
export const adminAuditQuerySchema = z.strictObject({
  member: z.string().min(1).max(100).optional(),
  size: z.coerce.number().int().min(1).max(1000).default(100),
});

/**
 * Forwarder keys of every member: issued, listed, rotated, revoked by a SOC admin, each change
 * audited (a member manages its own at `/v1/forwarder-keys`). With Redis away the error layer
 * answers 503 unavailable with Retry-After.
 */
@Controller('v1/admin/forwarder-keys')
@UseGuards(BearerGuard)
@AllowRoles('soc_admin')
export class ForwarderKeysController {
  constructor(
    private readonly keys: ForwarderKeyAdministration,
    private readonly members: MemberDirectory,
  ) {}

  @Get()
  async list(@Query() query: unknown): Promise<{ keys: ForwarderKeyRecord[] }> {
    const { member } = parseOr400(listQuerySchema, query, 'invalid_query');
    return { keys: await this.keys.list(allMembers, member) };
  }

  @Get('audit')
  async audit(@Query() query: unknown): Promise<{ entries: ForwarderKeyAuditEntry[] }> {
    const { member, size } = parseOr400(adminAuditQuerySchema, query, 'invalid_query');
    return { entries: await this.keys.audit(allMembers, size, member) };
  }

  /** The key is in this answer only; it is stored hashed. */
  @Post()
  @HttpCode(HttpStatus.CREATED)
  async create(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<IssuedForwarderKey> {
    const { member_id: memberId, label, ...declared } = parseBody(createKeySchema, body);
    if (!this.members.has(memberId)) {
      throw new HttpException({ error: 'unknown_member', message: `no member "${memberId}"` }, HttpStatus.BAD_REQUEST);
    }
    return this.keys.create(actorOf(principal), memberId, label, declared);
  }

  @Post(':id/rotate')
  @HttpCode(HttpStatus.CREATED)
  async rotate(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<IssuedForwarderKey> {
    return (await this.keys.rotate(actorOf(principal), allMembers, id)) ?? forwarderKeyNotFound(id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    if (!(await this.keys.revoke(actorOf(principal), allMembers, id))) forwarderKeyNotFound(id);
  }
}

/** A JSON body parsed with `schema`, or 400 `invalid_request` naming each bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const request = schema.safeParse(parseJson(body));
  if (!request.success) {
    throw new HttpException({ error: 'invalid_request', message: 'fix the listed fields', problems: describeZodError(request.error) }, HttpStatus.BAD_REQUEST);
  }
  return request.data;
}

function parseJson(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    throw new HttpException({ error: 'invalid_request', message: 'the body is not JSON' }, HttpStatus.BAD_REQUEST);
  }
}

/** The same answer for a key that does not exist and for another member's key. */
export function forwarderKeyNotFound(id: string): never {
  throw new HttpException({ error: 'not_found', message: `no forwarder key "${id}"` }, HttpStatus.NOT_FOUND);
}
