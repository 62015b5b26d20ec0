import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { BaseRpcExceptionFilter } from '@nestjs/microservices';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorResponseOf, type ErrorContext } from './error-response';
import type { PinoLogger } from './pino-logger';

/**
 * The global exception filter of every app: each HTTP error leaves as `{ error, message, … }`
 * (docs/API.md, "Errors"). Errors of the stream consumers (RPC context) keep Nest's handling.
 */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly rpc = new BaseRpcExceptionFilter();

  constructor(
    private readonly logger: PinoLogger,
    private readonly context: ErrorContext,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return this.rpc.catch(exception, host);
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
