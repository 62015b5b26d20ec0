import { BadRequestException, Controller, Get, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { scopeOf, type Principal } from '@soc/auth';
import { alertStatuses, describeZodError, severities, type Alert } from '@soc/contracts';
import { AlertRepository } from '@soc/storage';
import { BearerAuthGuard, CurrentPrincipal } from './bearer-auth.guard';
import { AllowRoles, RolesGuard } from './roles.guard';

const listQuerySchema = z.strictObject({
  member: z.string().min(1).optional(),
  status: z.enum(alertStatuses).optional(),
  severity: z.enum(severities).optional(),
  rule: z.string().min(1).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  size: z.coerce.number().int().min(1).max(500).default(50),
});

@Controller('alerts')
@UseGuards(BearerAuthGuard, RolesGuard)
@AllowRoles('member', 'soc_analyst', 'soc_admin')
export class AlertsController {
  constructor(private readonly alerts: AlertRepository) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: unknown): Promise<{ total: number; alerts: Alert[] }> {
    const parsed = listQuerySchema.safeParse(query);
    if (!parsed.success) {
      throw new BadRequestException({ error: 'invalid_query', problems: describeZodError(parsed.error) });
    }
    const q = parsed.data;
    return this.alerts.search(scopeOf(principal), {
      memberId: q.member, status: q.status, severity: q.severity, ruleId: q.rule, from: q.from, to: q.to, size: q.size,
    });
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<Alert> {
    const alert = await this.alerts.get(scopeOf(principal), id);
    // The same answer for "absent" and "another member's": existence is not disclosed.
    if (!alert) throw new NotFoundException({ error: 'not_found', message: `no alert ${id}` });
    return alert;
  }
}
