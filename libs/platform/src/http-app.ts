import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorContext } from './error-response';
import { answerClientError } from './client-error-handler';
import { ErrorResponseFilter, sendErrorResponse } from './error-response.filter';
import { FastifyAdapterWithErrorCodes } from './fastify-adapter';
import { PinoLogger } from './pino-logger';
import { utf8BodyParser, utf8JsonBodyParser } from './utf8-body-parser';

export interface HttpAppOptions {
  name: string;
  host: string;
  port: number;
  logLevel: string;
  bodyLimitBytes?: number;
  /**
   * Hand request bodies to controllers as text instead of parsed JSON: NDJSON is not JSON, and
   * errors must name the line they are on.
   */
  textBodies?: boolean;
  /** More media types handed over as text (the correlator's `text/csv` feeds). */
  extraTextContentTypes?: string[];
  /** SHUTDOWN_TIMEOUT_MS (libs/config, default 25 s): after a SIGTERM or SIGINT, exit with code 1 if still running. */
  shutdownTimeoutMs: number;
}

/**
 * A graceful shutdown waits for every hook (consumers, workers, Redis and Elasticsearch clients); one
 * that never returns (a client waiting on a server that stopped answering) would keep the process
 * alive until something kills it harder. Within Kubernetes' default 30 s grace period, the app says
 * so and exits itself: what it had not acknowledged is delivered again (consumer groups, BullMQ).
 */
function exitIfShutdownHangs(name: string, timeoutMs: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`${name}: graceful shutdown not done ${timeoutMs} ms after ${signal} (SHUTDOWN_TIMEOUT_MS); exiting\n`);
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}

const defaultBodyLimitBytes = 1024 * 1024;

/**
 * Creates a Fastify-based Nest app with structured logs, graceful shutdown on SIGTERM and one
 * error layer: every error answer is `{ error, message, … }` (docs/API.md, "Errors") and every
 * body must be UTF-8, whether it came plain or gzipped.
 */
export async function createHttpApp(module: Type<unknown>, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const logger = new PinoLogger(options.name, options.logLevel);
  const bodyLimit = options.bodyLimitBytes ?? defaultBodyLimitBytes;
  const errorContext: ErrorContext = { bodyLimitBytes: bodyLimit };
  const adapter = new FastifyAdapterWithErrorCodes(
    {
      bodyLimit,
      // Requests Node's HTTP parser refuses (a URL or headers over 16 KiB) never reach Fastify.
      clientErrorHandler: answerClientError,
      // Errors Fastify answers before routing (a bad URL, an over-long path parameter).
      frameworkErrors: (error, request, reply) => sendErrorResponse(request as FastifyRequest, reply as FastifyReply, error, errorContext, logger),
    },
    errorContext,
  );
  // Nest's own body parser decodes bytes leniently (U+FFFD for bad ones); these parsers refuse them.
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { logger, bufferLogs: false, bodyParser: false });
  app.useGlobalFilters(new ErrorResponseFilter(logger, errorContext));
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const parseOptions = { parseAs: 'buffer' as const, bodyLimit };
  if (options.textBodies) {
    const textTypes = ['application/json', 'application/x-ndjson', 'application/ndjson', 'text/plain', ...(options.extraTextContentTypes ?? [])];
    fastify.addContentTypeParser(textTypes, parseOptions, utf8BodyParser);
  } else {
    fastify.addContentTypeParser('application/json', parseOptions, utf8JsonBodyParser(fastify));
    // A JSON API: plain text is a 415, not a string handed to a schema that wants an object.
    fastify.removeContentTypeParser('text/plain');
    if (options.extraTextContentTypes?.length) fastify.addContentTypeParser(options.extraTextContentTypes, parseOptions, utf8BodyParser);
  }
  app.enableShutdownHooks();
  exitIfShutdownHangs(options.name, options.shutdownTimeoutMs);
  return app;
}
