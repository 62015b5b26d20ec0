import { Controller, Get, Headers, NotAcceptableException, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { scopeOf, type Principal } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import { AlertRepository } from '@soc/storage';
import { AllowRoles, BearerGuard, CurrentPrincipal, StructuredLogger } from '@soc/platform';
import { AlertChanges } from './alert-changes';

/** How often a stream looks for changes; Elasticsearch makes a write searchable within about a second. */
export const livePollMs = 2_000;
/** The alerts a stream watches: the most recently seen in the caller's scope, as `GET /alerts` sorts them. */
export const liveWatchedAlerts = 200;
/** A comment line this often keeps proxies from closing a quiet stream. */
const heartbeatMs = 15_000;
/**
 * A stream ends after this long and the browser's EventSource reconnects (after `retry`, with
 * Last-Event-ID): the bearer token is then verified again, so a stream never outlives a token
 * (300 s) by more than this, and the console passes a freshly refreshed one.
 */
export const liveStreamSeconds = 240;
const retryMs = 2_000;

/** Whether the Accept header names `text/event-stream` (a wildcard does not: the stream must be asked for). */
export const acceptsEventStream = (accept: string | undefined): boolean =>
  (accept ?? '').split(',').some((part) => part.split(';')[0]!.trim().toLowerCase() === 'text/event-stream');

/**
 * `GET /live/alerts`: server-sent events of the alerts that appear or change in the caller's
 * scope, for the console's queue. Isolation is the repository's: each stream reads through
 * `AlertRepository.search` with the caller's scope, so a member's stream carries only its own
 * alerts, presented as that member sees them (a campaign as a count of other members).
 */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('live')
@UseGuards(BearerGuard)
@AllowRoles('member', 'soc_analyst', 'soc_admin')
export class LiveAlertsController {
  private readonly log = new StructuredLogger(LiveAlertsController.name);

  constructor(private readonly alerts: AlertRepository) {}

  @Get('alerts')
  @ApiOperation({ summary: "Server-sent events: each alert that appears or changes in the caller's scope (event alert), with Last-Event-ID resumption" })
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Only a client that asks for a stream gets one (an EventSource always does): anything else
    // would wait minutes for a body that never ends, so it is told at once.
    if (!acceptsEventStream(accept)) {
      throw new NotAcceptableException({
        error: 'not_acceptable',
        message: 'GET /live/alerts answers server-sent events only: send Accept: text/event-stream (an EventSource does)',
      });
    }
    const scope = scopeOf(principal);
    const changes = new AlertChanges(lastEventId);
    const warn = (error: unknown) =>
      this.log.warn({ member_id: scope.kind === 'member' ? scope.memberId : undefined, err: (error as Error).message }, 'live alerts: look failed');
    // The first look before the answer's headers: once the browser sees the stream open, every
    // later change is one the stream will send (nothing falls between the open and the baseline).
    let baseline: Alert[] | undefined;
    try {
      baseline = (await this.alerts.search(scope, { size: liveWatchedAlerts })).alerts;
    } catch (error) {
      // Elasticsearch away: the stream opens anyway and its next look takes the baseline.
      warn(error);
    }
    const initial = baseline ? changes.changed(baseline, true) : [];
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    out.write(`retry: ${retryMs}\n\n`);
    const send = (alerts: Alert[]) => {
      for (const alert of alerts) out.write(`event: alert\nid: ${changes.watermark}\ndata: ${JSON.stringify(alert)}\n\n`);
    };
    send(initial);
    let open = true;
    let needsBaseline = baseline === undefined;
    const look = async () => {
      try {
        const { alerts } = await this.alerts.search(scope, { size: liveWatchedAlerts });
        if (!open) return;
        send(changes.changed(alerts, needsBaseline));
        needsBaseline = false;
      } catch (error) {
        // Elasticsearch away: the stream stays open and the next look tries again.
        warn(error);
      }
      if (open) poll = setTimeout(look, livePollMs);
    };
    let poll = setTimeout(look, livePollMs);
    const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), heartbeatMs);
    const end = setTimeout(() => out.end(), liveStreamSeconds * 1000);
    const close = () => {
      open = false;
      clearTimeout(poll);
      clearInterval(heartbeat);
      clearTimeout(end);
    };
    request.raw.on('close', close);
    out.on('close', close);
    // Gone already while the first look ran: no 'close' will come.
    if (out.destroyed || request.raw.destroyed) close();
  }
}
