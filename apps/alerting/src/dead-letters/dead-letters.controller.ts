import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { actorOf, type Principal } from '@soc/auth';
import {
  DeadLetterOperations,
  deadLetterFilterSchema,
  deadLetterKinds,
  deadLetterListQuerySchema,
  type DeadLetter,
  type DeadLetterDetail,
  type DeadLetterKind,
  type DeadLetterPage,
  type ReplayOutcome,
} from '@soc/dead-letters';
import { AllowRoles, BearerGuard, CurrentPrincipal } from '@soc/platform';
import { parseOr400 } from '../zod-body';

const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
const kindSchema = z.enum(deadLetterKinds);
/** A dead letter's reference in paths: `<kind>:<id in its store>` (e.g. `stream:1764669600000-0`, `webhook:<job id>`). */
const refSchema = z
  .string()
  .regex(new RegExp(`^(${deadLetterKinds.join('|')}):.+$`), `must be <kind>:<id>, kind one of ${deadLetterKinds.join(', ')}`)
  .transform((ref) => {
    const at = ref.indexOf(':');
    return { kind: ref.slice(0, at) as DeadLetterKind, id: ref.slice(at + 1) };
  });
export const replayOneSchema = z.strictObject({ reason: z.string().min(1).max(1000).optional() });
/** A filtered set or every dead letter of a kind (`all: true` with no other filter, so "all" is never implicit). */
export const replayManySchema = deadLetterFilterSchema
  .extend({ kind: kindSchema, all: z.literal(true).optional(), why: z.string().min(1).max(1000).optional() })
  .refine((body) => body.all === true || Boolean(body.member || body.from || body.to || body.reason), {
    message: 'name a filter (member, from, to, reason) or all: true',
  });
export const discardSchema = z.strictObject({ reason: z.string().min(1).max(1000) });

/**
 * Dead-letter operations (soc_admin): list with filters and paging, inspect one with its payload,
 * replay (one, a filtered set, all of a kind) and discard with a reason; every replay and discard is
 * in the audit trail (target type `dead_letter`, id `<kind>:<id>`). docs/OPERATIONS.md "Dead letters".
 */
@ApiTags('dead-letters')
@ApiBearerAuth()
@Controller('dead-letters')
@UseGuards(BearerGuard)
@AllowRoles('soc_admin')
export class DeadLettersController {
  constructor(private readonly operations: DeadLetterOperations) {}

  @Get()
  @ApiOperation({ summary: 'Dead letters of every kind, oldest first: ?kind, member, from, to, reason (substring), size, offset' })
  async list(@Query() query: unknown): Promise<Omit<DeadLetterPage, 'dead_letters'> & { dead_letters: Array<DeadLetter & { ref: string }> }> {
    const page = await this.operations.list(parseOr400(deadLetterListQuerySchema, query, 'invalid_query'));
    return { ...page, dead_letters: page.dead_letters.map((letter) => ({ ref: `${letter.kind}:${letter.id}`, ...letter })) };
  }

  @Get('stats')
  @ApiOperation({ summary: 'Count and oldest time per kind' })
  async stats() {
    return { kinds: await this.operations.stats() };
  }

  @Get(':ref')
  @ApiOperation({ summary: 'One dead letter (`<kind>:<id>`) with its payload in full' })
  async get(@Param('ref') ref: string): Promise<DeadLetterDetail & { ref: string }> {
    const { kind, id } = parseOr400(refSchema, ref, 'invalid_path');
    const found = (await this.operations.get(kind, id)) ?? notFound(kind, id);
    return { ref: `${kind}:${id}`, ...found };
  }

  @Post('replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replays every dead letter of a kind that matches the filter (or all: true), at most 1000 per request' })
  @ApiBody({ schema: schemaOf(replayManySchema) })
  async replayMany(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<{ outcomes: ReplayOutcome[]; remaining: number }> {
    const { all: _all, why, ...filter } = parseOr400(replayManySchema, body ?? {}, 'invalid_body');
    return this.operations.replayMatching(filter, actorOf(principal), why);
  }

  @Post(':ref/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Puts one dead letter back on its path; removed once the path accepted it' })
  @ApiBody({ schema: schemaOf(replayOneSchema) })
  async replay(@CurrentPrincipal() principal: Principal, @Param('ref') ref: string, @Body() body: unknown): Promise<ReplayOutcome> {
    const { kind, id } = parseOr400(refSchema, ref, 'invalid_path');
    const { reason } = parseOr400(replayOneSchema, body ?? {}, 'invalid_body');
    const outcome = await this.operations.replay(kind, id, actorOf(principal), reason);
    if (outcome.outcome === 'not_found') notFound(kind, id);
    return outcome;
  }

  @Post(':ref/discard')
  @HttpCode(200)
  @ApiOperation({ summary: 'Removes one dead letter for good, with the reason (audited)' })
  @ApiBody({ schema: schemaOf(discardSchema) })
  async discard(@CurrentPrincipal() principal: Principal, @Param('ref') ref: string, @Body() body: unknown) {
    const { kind, id } = parseOr400(refSchema, ref, 'invalid_path');
    const { reason } = parseOr400(discardSchema, body ?? {}, 'invalid_body');
    if (!(await this.operations.discard(kind, id, actorOf(principal), reason))) notFound(kind, id);
    return { kind, id, outcome: 'discarded' };
  }
}

function notFound(kind: string, id: string): never {
  throw new NotFoundException({ error: 'not_found', message: `no ${kind} dead letter ${id}` });
}
