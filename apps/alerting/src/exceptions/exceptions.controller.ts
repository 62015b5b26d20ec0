import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { actorOf, scopeOf, type Principal } from '@soc/auth';
import { exceptionInputSchema, maxExceptionConditions, type AlertException, type ExceptionView } from '@soc/alerts';
import { AlertRepository, AuditRepository, ExceptionRepository } from '@soc/storage';
import { AllowRoles, BearerGuard, CurrentPrincipal } from '@soc/platform';
import { exceptionFromAlertBodySchema } from '../triage/triage.schemas';
import { parseOr400 } from '../zod-body';
import { ExceptionSuppressionsRepository } from './exception-suppressions.repository';

const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
const invalidBody = (path: string, message: string) =>
  new BadRequestException({ error: 'invalid_body', message: `${path}: ${message}`, problems: [{ path, message }] });
const organizationOf = (e: AlertException) => ({ id: e.scope.kind === 'member' ? e.scope.member_id : 'global' });

/**
 * Exceptions as data, written by soc_admin. Listed in full to SOC roles; a member gets its own in
 * full and global ones as the repository's member view (rule, condition fields, expiry), because a
 * global exception made from another member's alert must not lead back to that member.
 */
@ApiTags('exceptions')
@ApiBearerAuth()
@Controller()
@UseGuards(BearerGuard)
export class ExceptionsController {
  constructor(
    private readonly exceptions: ExceptionRepository,
    private readonly suppressions: ExceptionSuppressionsRepository,
    private readonly alerts: AlertRepository,
    private readonly audit: AuditRepository,
  ) {}

  @Get('exceptions')
  @AllowRoles('member', 'soc_analyst', 'soc_admin')
  @ApiOperation({ summary: 'Exceptions with how many detections each suppressed (for a member: its own detections)' })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ exceptions: Array<ExceptionView & { suppressed_count: number }> }> {
    const scope = scopeOf(principal);
    const exceptions = await this.exceptions.list(scope);
    const counts = await this.suppressions.countsFor(scope, exceptions);
    return { exceptions: exceptions.map((e) => ({ ...e, suppressed_count: counts.get(e.id) ?? 0 })) };
  }

  @Post('exceptions')
  @AllowRoles('soc_admin')
  @ApiBody({ schema: schemaOf(exceptionInputSchema) })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<AlertException> {
    const input = parseOr400(exceptionInputSchema, body, 'invalid_body');
    return this.created(principal, await this.exceptions.create(input, principal.sub));
  }

  @Post('exceptions/:id/expire')
  @HttpCode(200)
  @AllowRoles('soc_admin')
  async expire(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<AlertException> {
    // Expiring twice would move its expiry time and audit a change that changed nothing.
    const expiredAt = (await this.exceptions.get(scopeOf(principal), id))?.expired_at;
    if (expiredAt) throw new ConflictException({ error: 'already_expired', message: `exception ${id} was already expired at ${expiredAt}` });
    const changed = await this.exceptions.expire(id);
    if (!changed) throw new NotFoundException({ error: 'not_found', message: `no exception ${id}` });
    await this.audit.record({
      target: { type: 'exception', id },
      organization: organizationOf(changed.after),
      actor: actorOf(principal),
      action: 'exception_expired',
      before: changed.before,
      after: changed.after,
    });
    return changed.after;
  }

  @Post('alerts/:id/exception')
  @AllowRoles('soc_admin')
  @ApiOperation({ summary: "An exception for this alert's rule, with an equals condition per observable (or per chosen field)" })
  @ApiBody({ schema: schemaOf(exceptionFromAlertBodySchema) })
  async fromAlert(@CurrentPrincipal() principal: Principal, @Param('id') alertId: string, @Body() body: unknown): Promise<AlertException> {
    const input = parseOr400(exceptionFromAlertBodySchema, body, 'invalid_body');
    const alert = await this.alerts.get(scopeOf(principal), alertId);
    if (!alert) throw new NotFoundException({ error: 'not_found', message: `no alert ${alertId}` });
    const observables = alert.observables.filter((o) => !input.fields || input.fields.includes(o.field));
    const present = [...new Set(alert.observables.map((o) => o.field))];
    const unknown = (input.fields ?? []).filter((field) => !present.includes(field));
    if (unknown.length > 0) {
      throw invalidBody('fields', `not observable fields of alert ${alert.id}: ${unknown.join(', ')} (it has: ${present.join(', ') || 'none'})`);
    }
    if (observables.length === 0) {
      // With no condition the exception would suppress the whole rule: there is no such form.
      throw invalidBody('conditions', `alert ${alert.id} has no observables to make a condition of; use POST /exceptions with explicit conditions`);
    }
    if (observables.length > maxExceptionConditions) {
      throw invalidBody(
        'fields',
        `alert ${alert.id} has ${observables.length} observables, more than the ${maxExceptionConditions} conditions an exception may have: choose some with fields`,
      );
    }
    const exception = await this.exceptions.create(
      {
        scope: input.scope === 'global' ? { kind: 'global' } : { kind: 'member', member_id: alert.organization.id },
        rule_id: alert.rule.id,
        conditions: observables.map((o) => ({ field: o.field, op: 'equals' as const, value: o.value })),
        owner: principal.sub,
        reason: input.reason,
        expires_at: input.expires_at,
      },
      principal.sub,
      alert.id,
    );
    await this.audit.record({
      target: { type: 'alert', id: alert.id },
      organization: alert.organization,
      actor: actorOf(principal),
      action: 'exception_created',
      after: { exception_id: exception.id },
      reason: input.reason,
    });
    return this.created(principal, exception);
  }

  private async created(principal: Principal, exception: AlertException): Promise<AlertException> {
    await this.audit.record({
      target: { type: 'exception', id: exception.id },
      organization: organizationOf(exception),
      actor: actorOf(principal),
      action: 'exception_created',
      after: exception,
      reason: exception.reason,
    });
    return exception;
  }
}
