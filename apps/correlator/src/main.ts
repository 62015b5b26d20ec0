import 'reflect-metadata';
import { loadConfig } from '@soc/config';
import { RedisStreamsServer } from '@soc/event-stream';
import { createHttpApp } from '@soc/platform';
import { CorrelatorModule } from './correlator.module';
import { serveOpenApi } from './openapi';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const { host, port } = config.http.correlator;
  // Indicator feeds arrive as raw documents (CSV is not JSON): controllers get the body as text.
  const app = await createHttpApp(CorrelatorModule, {
    name: 'correlator',
    host,
    port,
    logLevel: config.logLevel,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    textBodies: true,
    extraTextContentTypes: ['text/csv'],
    bodyLimitBytes: config.http.collector.bodyLimitBytes,
  });
  serveOpenApi(app);
  app.connectMicroservice(
    {
      strategy: new RedisStreamsServer({
        redisUrl: config.redis.url,
        stream: config.streams.events,
        partitions: config.streams.partitions,
        group: 'correlator',
        consumer: config.streams.consumerName,
        readCount: config.streams.readCount,
        claimIdleMs: config.streams.claimIdleMs,
      }),
    },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen(port, host);
}

bootstrap().catch((error: Error) => {
  process.stderr.write(`correlator failed to start: ${error.message}\n`);
  process.exit(1);
});
