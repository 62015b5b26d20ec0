import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { scopeOf, type Principal } from '@soc/auth';
import { MemberDirectory } from '@soc/members';
import { AllowRoles, BearerGuard, CurrentPrincipal } from '@soc/platform';
import { parseOr400 } from '../zod-body';
import { WebhookDeliveryRepository, webhookDeliveriesPerMember } from './webhook-deliveries.repository';
import { WebhookNotifications } from './webhooks.queue';

export const webhookDeadLettersQuerySchema = z.strictObject({ size: z.coerce.number().int().min(1).max(1000).default(100) });
/** The newest deliveries (`member`: of one member; a member's token sees its own whatever it names). */
export const webhookDeliveriesQuerySchema = z.strictObject({
  size: z.coerce.number().int().min(1).max(webhookDeliveriesPerMember).default(100),
  member: z.string().min(1).max(100).optional(),
});

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
@UseGuards(BearerGuard)
@AllowRoles('member', 'soc_analyst', 'soc_admin')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhookNotifications,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly members: MemberDirectory,
  ) {}

  @Get('deliveries')
  @ApiOperation({ summary: 'Recent notifications and what became of them, newest attempt first (a member sees its own)' })
  async recentDeliveries(@CurrentPrincipal() principal: Principal, @Query() query: unknown) {
    const { size, member } = parseOr400(webhookDeliveriesQuerySchema, query, 'invalid_query');
    const withWebhooks = this.members
      .all()
      .filter((m) => m.webhooks.length > 0)
      .map((m) => m.id);
    return { deliveries: await this.deliveries.list(scopeOf(principal), withWebhooks, size, member) };
  }

  @Get('dead-letters')
  @ApiOperation({ summary: 'Notifications that failed their last attempt (a member sees its own)' })
  async deadLetters(@CurrentPrincipal() principal: Principal, @Query() query: unknown) {
    const { size } = parseOr400(webhookDeadLettersQuerySchema, query, 'invalid_query');
    return { dead_letters: await this.webhooks.deadLetters(scopeOf(principal), size) };
  }
}
