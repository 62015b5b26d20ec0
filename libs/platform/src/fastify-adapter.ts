import { HttpException } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import { errorResponseOf, type ErrorContext } from './error-response';

type ErrorHandler = Parameters<FastifyAdapter['setErrorHandler']>[0];

/**
 * Nest turns Fastify's own errors (body too large, bad Content-Type, bad JSON) into a bare
 * `HttpException(message, status)` before its filters see them, losing Fastify's code. This
 * adapter hands them over already mapped, so the global filter answers them with their code.
 */
export class FastifyAdapterWithErrorCodes extends FastifyAdapter {
  constructor(
    options: FastifyServerOptions,
    private readonly errorContext: ErrorContext,
  ) {
    super(options);
  }

  override setErrorHandler(handler: ErrorHandler): ReturnType<FastifyAdapter['setErrorHandler']> {
    return super.setErrorHandler(((error: unknown, request: unknown, reply: unknown) =>
      (handler as (...args: unknown[]) => unknown)(withCode(error, this.errorContext), request, reply)) as ErrorHandler);
  }
}

function withCode(error: unknown, context: ErrorContext): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (error instanceof HttpException || typeof code !== 'string' || !code.startsWith('FST_')) return error;
  const { status, body } = errorResponseOf(error, context);
  return new HttpException(body, status, { cause: error });
}
