import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AllowRoles, BearerGuard } from '@soc/platform';
import { parseOr400 } from '../zod-body';
import { IncidentsQueue } from './incidents.queue';

export const incidentsQuerySchema = z.strictObject({ member: z.string().min(1).optional(), size: z.coerce.number().int().min(1).max(1000).default(100) });

@ApiTags('queues')
@ApiBearerAuth()
@Controller('queues')
@UseGuards(BearerGuard)
@AllowRoles('soc_analyst', 'soc_admin')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsQueue) {}

  @Get('incidents')
  @ApiOperation({ summary: 'Waiting incident items in priority order (critical first), optionally for one member' })
  async waiting(@Query() query: unknown) {
    const { member, size } = parseOr400(incidentsQuerySchema, query, 'invalid_query');
    return { items: await this.incidents.waiting(member, size) };
  }
}
