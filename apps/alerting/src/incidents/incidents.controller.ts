import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { allMembers, type IncidentItem } from '@soc/contracts';
import { AllowRoles, BearerGuard } from '@soc/platform';
import { AlertRepository } from '@soc/storage';
import { parseOr400 } from '../zod-body';
import { incidentView, type IncidentView, type PendingTimer } from './incident-deadlines';
import { IncidentsQueue } from './incidents.queue';
import { SlaTimers } from './sla.queue';

const readsAtOnce = 50;

export const incidentsQuerySchema = z.strictObject({ member: z.string().min(1).optional(), size: z.coerce.number().int().min(1).max(1000).default(100) });

@ApiTags('queues')
@ApiBearerAuth()
@Controller('queues')
@UseGuards(BearerGuard)
@AllowRoles('soc_analyst', 'soc_admin')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsQueue,
    private readonly alerts: AlertRepository,
    private readonly timers: SlaTimers,
  ) {}

  @Get('incidents')
  @ApiOperation({ summary: 'Waiting incident items in priority order (critical first), optionally for one member, with escalation level and SLA deadlines' })
  async waiting(@Query() query: unknown): Promise<{ items: IncidentView[] }> {
    const { member, size } = parseOr400(incidentsQuerySchema, query, 'invalid_query');
    const items = await this.incidents.waiting(member, size);
    // An alert read and a timer read per item, at most `readsAtOnce` items at a time (size may be 1,000).
    const views: IncidentView[] = [];
    for (let i = 0; i < items.length; i += readsAtOnce) {
      views.push(...(await Promise.all(items.slice(i, i + readsAtOnce).map((item) => this.withDeadlines(item)))));
    }
    return { items: views };
  }

  /** The alert's level and assignee (SOC roles see every member), and its next SLA timer if one is still pending. */
  private async withDeadlines(item: IncidentItem): Promise<IncidentView> {
    const alert = await this.alerts.get(allMembers, item.alert_id);
    const level = (alert?.escalation_level ?? 0) + 1;
    const job = await this.timers.queue.getJob(`sla-${item.alert_id}-${level}`);
    const timer: PendingTimer | undefined = job && !job.finishedOn ? { level, dueAt: job.timestamp + (job.delay ?? 0) } : undefined;
    return incidentView(item, alert, timer, this.timers.slaMs(item.severity));
  }
}
