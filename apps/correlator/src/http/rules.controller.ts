import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  ServiceUnavailableException,
  UnprocessableEntityException,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { actorOf, type Principal } from '@soc/auth';
import { ruleLevels } from '@soc/contracts';
import { AllowRoles, BearerGuard, CurrentPrincipal, parseOr400 } from '@soc/platform';
import { ruleOrigins, rulePathSchema, tuningInputSchema, type Tuning } from '@soc/rule-catalogue';
import {
  CatalogueBusyError,
  RuleAdministration,
  RuleChangeInvalidError,
  RuleConflictError,
  RuleNotFoundError,
  RuleRefusedError,
  type RuleDetail,
  type RuleListing,
} from '@soc/rule-store';
import { formatRuleError } from '@soc/sigma';
import { LiveRules, type AppliedCatalogue } from '../rules/live-rules';

const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
const why = z.string().min(1).max(1_000);

export const listQuerySchema = z.strictObject({
  q: z.string().min(1).max(200).optional(),
  origin: z.enum(ruleOrigins).optional(),
  folder: rulePathSchema.optional(),
  enabled: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  level: z.enum(ruleLevels).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});
export const enabledBodySchema = z.strictObject({ enabled: z.boolean(), why });
export const levelBodySchema = z.strictObject({ level: z.enum(ruleLevels).nullable(), why });
export const folderBodySchema = z.strictObject({ folder: rulePathSchema, enabled: z.boolean(), why });
export const customRuleBodySchema = z.strictObject({ yaml: z.string().min(1).max(1_000_000), why });
export const whyQuerySchema = z.strictObject({ why });

/** This app hands bodies over as text (indicator feeds are not JSON): the rule routes take JSON. */
function bodyOf<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch (error) {
      throw new BadRequestException({ error: 'invalid_body', message: `the body is not JSON: ${(error as Error).message}` });
    }
  }
  return parseOr400(schema, value, 'invalid_body');
}

/** The service's errors as HTTP answers: each names what is wrong; a refused rule lists every located error. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RuleNotFoundError) throw new NotFoundException({ error: 'not_found', message: error.message });
    if (error instanceof RuleRefusedError) {
      throw new UnprocessableEntityException({
        error: 'rule_refused',
        message: error.message.split('\n')[0],
        errors: error.errors.map((e) => ({ ...e.location, message: e.message, text: formatRuleError(e) })),
      });
    }
    if (error instanceof RuleConflictError) throw new ConflictException({ error: 'conflict', message: error.message });
    if (error instanceof RuleChangeInvalidError) throw new BadRequestException({ error: 'invalid_change', message: error.message });
    if (error instanceof CatalogueBusyError) throw new ServiceUnavailableException({ error: 'busy', message: error.message });
    throw error;
  }
}

/**
 * The rule catalogue (docs/RULES.md), soc_admin only: every correlator replica runs it and picks a
 * change up within seconds. A change that does not compile is refused with 422 and every located
 * error, so it never reaches a replica; every change is audited (who, what, before/after, why).
 */
@ApiTags('rules')
@ApiBearerAuth()
@Controller()
@UseGuards(BearerGuard)
export class RulesController {
  constructor(
    private readonly administration: RuleAdministration,
    private readonly live: LiveRules,
  ) {}

  @Get('v1/rules')
  @AllowRoles('soc_admin')
  @ApiOperation({ summary: 'List and search rules: id, title, origin, folder, level, enabled, version, author, references' })
  @ApiQuery({ name: 'query', required: false, schema: schemaOf(listQuerySchema) })
  async list(@Query() query: unknown): Promise<{ revision: number; total: number; rules: RuleListing[] }> {
    return answer(() => this.administration.list(parseOr400(listQuerySchema, query, 'invalid_query')));
  }

  @Get('v1/rules/revision')
  @AllowRoles('soc_admin')
  @ApiOperation({ summary: "The catalogue's revision and the one this replica runs (with any document it refused)" })
  async revision(): Promise<{ revision: number; replica: AppliedCatalogue }> {
    return answer(async () => ({ revision: await this.administration.revision(), replica: this.live.status }));
  }

  @Get('v1/rules/:id')
  @AllowRoles('soc_admin')
  @ApiOperation({ summary: 'One rule: its listing, effective and stored YAML, overrides and tunings' })
  async get(@Param('id') id: string): Promise<RuleDetail> {
    return answer(() => this.administration.get(id));
  }

  @Put('v1/rules/:id/enabled')
  @AllowRoles('soc_admin')
  @ApiOperation({ summary: 'Enable or disable a rule (its own setting wins over its folders)' })
  @ApiBody({ schema: schemaOf(enabledBodySchema) })
  async setEnabled(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown): Promise<{ revision: number; rule: RuleListing }> {
    const input = bodyOf(enabledBodySchema, body);
    return answer(() => this.administration.setRuleEnabled(id, input.enabled, actorOf(principal), input.why));
  }

  @Put('v1/rules/:id/level')
  @AllowRoles('soc_admin')
  @ApiOperation({ summary: "Override a rule's level (null: back to the rule's own)" })
  @ApiBody({ schema: schemaOf(levelBodySchema) })
  async setLevel(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown): Promise<{ revision: number }> {
    const input = bodyOf(levelBodySchema, body);
    return answer(() => this.administration.setLevel(id, input.level, actorOf(principal), input.why));
  }

  @Post('v1/rules/:id/tunings')
  @AllowRoles('soc_admin')
  @ApiOperation({ summary: 'Add a tuning: an exclusion filter (global or for one member) or a correlation threshold/timespan' })
  @ApiBody({ schema: schemaOf(tuningInputSchema) })
  async addTuning(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown): Promise<{ revision: number; tuning: Tuning }> {
    const input = bodyOf(tuningInputSchema, body);
    return answer(() => this.administration.addTuning(id, input, actorOf(principal)));
  }

  @Delete('v1/rule-tunings/:id')
  @AllowRoles('soc_admin')
  @ApiOperation({ summary: 'Remove a tuning (`?why=` says why)' })
  @ApiQuery({ name: 'why', required: true, schema: { type: 'string' } })
  async removeTuning(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: unknown): Promise<{ revision: number }> {
    const input = parseOr400(whyQuerySchema, query, 'invalid_query');
    return answer(() => this.administration.removeTuning(id, actorOf(principal), input.why));
  }

  @Put('v1/rule-folders')
  @AllowRoles('soc_admin')
  @ApiOperation({ summary: 'Enable or disable every rule under a folder (a path prefix such as windows/process_creation)' })
  @ApiBody({ schema: schemaOf(folderBodySchema) })
  async setFolder(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<{ revision: number; rules: number }> {
    const input = bodyOf(folderBodySchema, body);
    return answer(() => this.administration.setFolderEnabled(input.folder, input.enabled, actorOf(principal), input.why));
  }

  @Post('v1/custom-rules')
  @HttpCode(200)
  @AllowRoles('soc_admin')
  @ApiOperation({ summary: 'Add or replace a custom rule document (a rule, or a correlation with its base rules), by its first id' })
  @ApiBody({ schema: schemaOf(customRuleBodySchema) })
  async putCustomRule(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
  ): Promise<{ revision: number; document: string; rules: string[]; created: boolean }> {
    const input = bodyOf(customRuleBodySchema, body);
    return answer(() => this.administration.putCustomRule(input.yaml, actorOf(principal), input.why));
  }

  @Delete('v1/custom-rules/:id')
  @AllowRoles('soc_admin')
  @ApiOperation({ summary: 'Delete a custom rule (`?why=`); other origins are disabled, not deleted' })
  @ApiQuery({ name: 'why', required: true, schema: { type: 'string' } })
  async deleteCustomRule(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: unknown): Promise<{ revision: number }> {
    const input = parseOr400(whyQuerySchema, query, 'invalid_query');
    return answer(() => this.administration.deleteCustomRule(id, actorOf(principal), input.why));
  }
}
