import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { throwError } from 'rxjs';
import { errorResponseOf, type ErrorContext } from './error-response';
import type { PinoLogger } from './pino-logger';

/**
 * The global exception filter of every app: each HTTP error leaves as `{ error, message, … }`
 * (docs/API.md, "Errors"). An error of a stream consumer (RPC context) goes back to the transport
 * as it was thrown: the transport logs it ("batch failed") and writes its message into the dead
 * letter's reason (docs/OPERATIONS.md: `handler failed N times: connect ECONNREFUSED …`). Nest's own
 * RPC filter replaced every error that is not an RpcException by "Internal server error".
 */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  constructor(
    private readonly logger: PinoLogger,
    private readonly context: ErrorContext,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return throwError(() => exception);
    const http = host.switchToHttp();
    sendErrorResponse(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), exception, this.context, this.logger);
    return undefined;
  }
}

/** Answers one failed request; the detail of an internal or back-end error goes to the log only. */
export function sendErrorResponse(request: FastifyRequest, reply: FastifyReply, exception: unknown, context: ErrorContext, logger: PinoLogger): void {
  const response = errorResponseOf(exception, context);
  const cause = exception instanceof HttpException && exception.cause !== undefined ? exception.cause : exception;
  if (response.internal) {
    const backend = (cause as { meta?: { body?: { error?: unknown } } })?.meta?.body?.error;
    logger.pino.error(
      { err: cause, ...(backend !== undefined ? { backend } : {}), method: request.method, url: request.url, status: response.status },
      'request failed',
    );
  }
  if (reply.sent) return;
  reply.code(response.status);
  for (const [name, value] of Object.entries(response.headers)) {
    // A handler may have said more precisely when to retry (the collector's backlog refusal).
    if (!reply.hasHeader(name)) reply.header(name, value);
  }
  reply.type('application/json; charset=utf-8').send(response.body);
}
