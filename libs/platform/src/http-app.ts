import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoLogger } from './pino-logger';

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
}

/** Creates a Fastify-based Nest app with structured logs and graceful shutdown on SIGTERM. */
export async function createHttpApp(module: Type<unknown>, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const logger = new PinoLogger(options.name, options.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 1024 * 1024 }),
    { logger, bufferLogs: false, bodyParser: !options.textBodies },
  );
  if (options.textBodies) {
    app
      .getHttpAdapter()
      .getInstance()
      .addContentTypeParser(
        ['application/json', 'application/x-ndjson', 'application/ndjson', 'text/plain'],
        { parseAs: 'string', bodyLimit: options.bodyLimitBytes },
        (_request: unknown, body: string, done: (error: null, body: string) => void) => done(null, body),
      );
  }
  app.enableShutdownHooks();
  return app;
}
