import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { scopeOf, type Principal } from '@soc/auth';
import { AllowRoles, BearerGuard, CurrentPrincipal } from '@soc/platform';
import { parseOr400 } from '../zod-body';
import { WebhookNotifications } from './webhooks.queue';

export const webhookDeadLettersQuerySchema = z.strictObject({ size: z.coerce.number().int().min(1).max(1000).default(100) });

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
@UseGuards(BearerGuard)
@AllowRoles('member', 'soc_analyst', 'soc_admin')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookNotifications) {}

  @Get('dead-letters')
  @ApiOperation({ summary: 'Notifications that failed their last attempt (a member sees its own)' })
  async deadLetters(@CurrentPrincipal() principal: Principal, @Query() query: unknown) {
    const { size } = parseOr400(webhookDeadLettersQuerySchema, query, 'invalid_query');
    return { dead_letters: await this.webhooks.deadLetters(scopeOf(principal), size) };
  }
}
