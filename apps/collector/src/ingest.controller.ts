import { Body, Controller, Headers, HttpCode, HttpException, HttpStatus, Inject, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ForwarderKeyRepository } from '@soc/auth';
import type { AppConfig } from '@soc/config';
import { parseEventBody, stampEvent } from '@soc/ingest';
import { MemberDirectory } from '@soc/members';
import { DeclareAccess } from '@soc/platform';
import { APP_CONFIG } from './collector.providers';
import { authenticateForwarder, unavailable } from './forwarder-auth';
import { IngestPipeline, type SubmitOutcome } from './ingest-pipeline';
import { IngestionMetrics } from './ingestion-metrics';
import { isPlainTextBody, keyDeclarations, requestDataset, requestLogFormat, requestReferenceTime, requestTimeZone } from './request-log-format';

@Controller('v1')
export class IngestController {
  constructor(
    private readonly pipeline: IngestPipeline,
    private readonly metrics: IngestionMetrics,
    private readonly keys: ForwarderKeyRepository,
    private readonly members: MemberDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Accepts a batch of events (NDJSON or a JSON array) or of raw log lines (`text/plain`), read
   * in the request's format (`X-Log-Format`, else the key's, else recognised: docs/INGEST.md),
   * lines of unknown programs in the request's or the key's dataset (`X-Log-Dataset`), offset-less
   * times in the request's, the key's or the member's zone, year-less ones against the
   * forwarder's clock in the body's order.
   * 202 means Redis has every one of them; any other answer means none was accepted and the
   * sender should fix or retry.
   */
  @Post('events')
  @DeclareAccess({ auth: 'forwarder-key' })
  @HttpCode(HttpStatus.ACCEPTED)
  async ingest(
    @Headers() headers: Record<string, string | string[] | undefined>,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ accepted: number }> {
    const memberId = await authenticateForwarder(this.keys, headers);
    if (typeof body !== 'string') {
      throw new HttpException(
        { error: 'unsupported_media_type', message: 'send application/x-ndjson, application/json or text/plain' },
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      );
    }
    const key = await keyDeclarations(this.keys, headers);
    const format = requestLogFormat(headers, key);
    const dataset = requestDataset(headers, key);
    const now = new Date();
    const timeZone = requestTimeZone(headers, { key: key?.timeZone, member: this.members.get(memberId)?.time_zone }, this.config.syslog.timeZone);
    const parsed = parseEventBody(body, this.config.ingest.eventLimits, {
      format,
      dataset,
      now: requestReferenceTime(headers, now),
      timeZone,
      plainText: isPlainTextBody(headers),
    });
    if (!parsed.ok) {
      this.metrics.refused(memberId, 'http', 'invalid', 1);
      throw new HttpException(
        { error: 'invalid_events', message: 'no event was accepted; fix the listed fields', problems: parsed.problems },
        HttpStatus.BAD_REQUEST,
      );
    }
    const ingested = now.toISOString();
    const window = this.config.ingest.eventTimeWindow;
    const events = parsed.events.map((event) => stampEvent(event, memberId, ingested, window));
    const outcome = await this.pipeline.submit(memberId, 'http', events);
    if ('refused' in outcome) {
      reply.header('Retry-After', String(outcome.retryAfterSeconds));
      throw refusal(outcome.refused);
    }
    if (parsed.unparsed > 0) this.metrics.unparsed(memberId, 'http', parsed.unparsed);
    return outcome;
  }
}

function refusal(reason: Extract<SubmitOutcome, { refused: string }>['refused']): HttpException {
  if (reason === 'rate_limited') {
    return new HttpException(
      { error: 'rate_limited', message: 'this member is over its ingest rate; nothing was accepted, retry after Retry-After seconds' },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
  if (reason === 'backlog') {
    return new HttpException(
      { error: 'backlog', message: 'the consumers are behind; nothing was accepted, retry after Retry-After seconds' },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
  return unavailable();
}
