import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { scopeOf, type Principal } from '@soc/auth';
import type { Alert, SocEvent } from '@soc/contracts';
import { AlertRepository, AuditRepository, EventRepository, type AlertPage, type AuditEntry } from '@soc/storage';
import { AllowRoles, BearerGuard, CurrentPrincipal } from '@soc/platform';
import { bulkResult, orHttpError } from './triage/triage-errors';
import { alertListQuerySchema, assignBodySchema, bulkBodySchema, commentBodySchema, statusBodySchema } from './triage/triage.schemas';
import { TriageService } from './triage/triage.service';
import { parseOr400 } from './zod-body';

const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
@UseGuards(BearerGuard)
@AllowRoles('member', 'soc_analyst', 'soc_admin')
export class AlertsController {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly events: EventRepository,
    private readonly audit: AuditRepository,
    private readonly triage: TriageService,
  ) {}

  @Get()
  @ApiOperation({ summary: "List alerts in the caller's scope: filters, free text q, size with search_after cursor or page" })
  @ApiQuery({ name: 'query', required: false, schema: schemaOf(alertListQuerySchema) })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: unknown): Promise<AlertPage> {
    const q = parseOr400(alertListQuerySchema, query, 'invalid_query');
    return orHttpError(
      this.alerts.search(scopeOf(principal), {
        memberId: q.member,
        status: q.status,
        severity: q.severity,
        ruleId: q.rule,
        from: q.from,
        to: q.to,
        q: q.q,
        size: q.size,
        searchAfter: q.search_after,
        page: q.page,
      }),
    );
  }

  @Post('bulk')
  @HttpCode(200)
  @ApiOperation({ summary: 'Status change or assignment on up to 100 alerts; one result per id, scoped per id' })
  @ApiBody({ schema: schemaOf(bulkBodySchema) })
  async bulk(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    const command = parseOr400(bulkBodySchema, body, 'invalid_body');
    const results = [];
    for (const id of command.ids) {
      try {
        if (command.action === 'status') await this.triage.changeStatus(principal, id, command.status, command.reason);
        else await this.triage.assign(principal, id, command.assignee);
        results.push(bulkResult(id));
      } catch (error) {
        results.push(bulkResult(id, error));
      }
    }
    return { results };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alert with the events behind it' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<Alert & { events: SocEvent[] }> {
    const scope = scopeOf(principal);
    const alert = await this.alerts.get(scope, id);
    // The same answer for "absent" and "another member's": existence is not disclosed.
    if (!alert) throw new NotFoundException({ error: 'not_found', message: `no alert ${id}` });
    return { ...alert, events: await this.events.findByIds(scope, alert.event_ids) };
  }

  @Get(':id/audit')
  @ApiOperation({ summary: 'The audit trail of one alert, oldest first' })
  async auditTrail(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<{ entries: AuditEntry[] }> {
    const scope = scopeOf(principal);
    if (!(await this.alerts.get(scope, id))) throw new NotFoundException({ error: 'not_found', message: `no alert ${id}` });
    return { entries: await this.audit.forTarget(scope, 'alert', id) };
  }

  @Post(':id/status')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move an alert along the workflow (a reason is required to close)' })
  @ApiBody({ schema: schemaOf(statusBodySchema) })
  async status(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown): Promise<Alert> {
    const { status, reason } = parseOr400(statusBodySchema, body, 'invalid_body');
    await orHttpError(this.triage.changeStatus(principal, id, status, reason));
    return (await this.alerts.get(scopeOf(principal), id))!;
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiBody({ schema: schemaOf(assignBodySchema) })
  async assign(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown): Promise<Alert> {
    const { assignee } = parseOr400(assignBodySchema, body, 'invalid_body');
    await orHttpError(this.triage.assign(principal, id, assignee));
    return (await this.alerts.get(scopeOf(principal), id))!;
  }

  @Post(':id/comments')
  @HttpCode(201)
  @ApiBody({ schema: schemaOf(commentBodySchema) })
  async comment(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown) {
    const { text } = parseOr400(commentBodySchema, body, 'invalid_body');
    return orHttpError(this.triage.comment(principal, id, text));
  }
}
