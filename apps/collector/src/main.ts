import 'reflect-metadata';
import type { Readable } from 'node:stream';
import { loadConfig } from '@soc/config';
import { createHttpApp } from '@soc/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CollectorModule } from './collector.module';
import { decodeRequestBody } from './gzip-body';
import { serveOpenApi } from './openapi';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const { host, port, bodyLimitBytes } = config.http.collector;
  const app = await createHttpApp(CollectorModule, {
    name: 'collector',
    host,
    port,
    logLevel: config.logLevel,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    bodyLimitBytes,
    textBodies: true,
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('preParsing', async (request: FastifyRequest, _reply: FastifyReply, payload: Readable) =>
    decodeRequestBody(request.headers['content-encoding'], payload, bodyLimitBytes),
  );
  serveOpenApi(app);
  await app.listen(port, host);
}

bootstrap().catch((error: Error) => {
  process.stderr.write(`collector failed to start: ${error.message}\n`);
  process.exit(1);
});
