import { Body, Controller, Delete, Get, HttpCode, HttpException, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';
import { ForwarderKeyRepository, forwarderKeyDeclarationSchema, type ForwarderKeyRecord, type IssuedForwarderKey } from '@soc/auth';
import { describeZodError } from '@soc/contracts';
import { MemberDirectory } from '@soc/members';
import { AllowRoles, BearerGuard, parseOr400 } from '@soc/platform';

/** The member and label, and what the key's forwarder declares it sends (format, dataset, time_zone: docs/FORWARDERS.md). */
export const createKeySchema = forwarderKeyDeclarationSchema.extend({
  member_id: z.string().min(1).max(100),
  label: z.string().max(200).default(''),
});
export const listQuerySchema = z.strictObject({ member: z.string().min(1).max(100).optional() });

/**
 * Forwarder keys of the members: issued, listed, rotated, revoked by a SOC admin. With Redis
 * away the error layer answers 503 unavailable with Retry-After.
 */
@Controller('v1/admin/forwarder-keys')
@UseGuards(BearerGuard)
@AllowRoles('soc_admin')
export class ForwarderKeysController {
  constructor(
    private readonly keys: ForwarderKeyRepository,
    private readonly members: MemberDirectory,
  ) {}

  @ApiQuery({ name: 'member', required: false, schema: { type: 'string', minLength: 1, maxLength: 100 } })
  @Get()
  async list(@Query() query: unknown): Promise<{ keys: ForwarderKeyRecord[] }> {
    const { member } = parseOr400(listQuerySchema, query, 'invalid_query');
    return { keys: await this.keys.list(member) };
  }

  /** The key is in this answer only; it is stored hashed. */
  @Post()
  @HttpCode(HttpStatus.CREATED)
  async create(@Body() body: unknown): Promise<IssuedForwarderKey> {
    const request = createKeySchema.safeParse(parseJson(body));
    if (!request.success) {
      throw new HttpException(
        { error: 'invalid_request', message: 'fix the listed fields', problems: describeZodError(request.error) },
        HttpStatus.BAD_REQUEST,
      );
    }
    if (!this.members.has(request.data.member_id)) {
      throw new HttpException({ error: 'unknown_member', message: `no member "${request.data.member_id}"` }, HttpStatus.BAD_REQUEST);
    }
    const { member_id: memberId, label, ...declared } = request.data;
    return this.keys.create(memberId, label, declared);
  }

  @Post(':id/rotate')
  @HttpCode(HttpStatus.CREATED)
  async rotate(@Param('id') id: string): Promise<IssuedForwarderKey> {
    return (await this.keys.rotate(id)) ?? notFound(id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(@Param('id') id: string): Promise<void> {
    if (!(await this.keys.revoke(id))) notFound(id);
  }
}

function parseJson(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    throw new HttpException({ error: 'invalid_request', message: 'the body is not JSON' }, HttpStatus.BAD_REQUEST);
  }
}

function notFound(id: string): never {
  throw new HttpException({ error: 'not_found', message: `no forwarder key "${id}"` }, HttpStatus.NOT_FOUND);
}
