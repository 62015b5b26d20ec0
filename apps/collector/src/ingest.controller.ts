import { Body, Controller, Headers, HttpCode, HttpException, HttpStatus, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ForwarderKeyRepository } from '@soc/auth';
import { EventsStream } from '@soc/event-stream';
import { parseEventBody, stampEvent } from '@soc/ingest';
import { authenticateForwarder, unavailable } from './forwarder-auth';

@Controller('v1')
export class IngestController {
  constructor(
    private readonly stream: EventsStream,
    private readonly keys: ForwarderKeyRepository,
  ) {}

  /**
   * Accepts a batch of events (NDJSON or a JSON array). 202 means Redis has every one of them;
   * any other answer means none was accepted and the sender should fix or retry.
   */
  @Post('events')
  @HttpCode(HttpStatus.ACCEPTED)
  async ingest(
    @Headers() headers: Record<string, string | string[] | undefined>,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ accepted: number }> {
    const memberId = await authenticateForwarder(this.keys, headers);
    if (typeof body !== 'string') {
      throw new HttpException(
        { error: 'unsupported_media_type', message: 'send application/x-ndjson or application/json' },
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      );
    }
    const parsed = parseEventBody(body);
    if (!parsed.ok) {
      throw new HttpException(
        { error: 'invalid_events', message: 'no event was accepted; fix the listed fields', problems: parsed.problems },
        HttpStatus.BAD_REQUEST,
      );
    }
    const ingested = new Date().toISOString();
    const events = parsed.events.map((event) => stampEvent(event, memberId, ingested));
    try {
      await this.stream.append(events);
    } catch {
      reply.header('Retry-After', '5');
      throw unavailable();
    }
    return { accepted: events.length };
  }
}
