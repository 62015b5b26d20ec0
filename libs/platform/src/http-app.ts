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
}

/** Creates a Fastify-based Nest app with structured logs and graceful shutdown on SIGTERM. */
export async function createHttpApp(module: Type<unknown>, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const logger = new PinoLogger(options.name, options.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 1024 * 1024 }),
    { logger, bufferLogs: false },
  );
  app.enableShutdownHooks();
  return app;
}
