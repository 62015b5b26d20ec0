import 'reflect-metadata';
import { loadConfig } from '@soc/config';
import { RedisStreamsServer } from '@soc/event-stream';
import { createHttpApp } from '@soc/platform';
import { IndexNames, type ElasticsearchClient } from '@soc/storage';
import { AlertingModule } from './alerting.module';
import { ELASTICSEARCH } from './alerting.providers';
import { ensureIndexTemplatesWhenReachable } from './index-setup';
import { serveOpenApi } from './openapi';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const { host, port } = config.http.alerting;
  const app = await createHttpApp(AlertingModule, { name: 'alerting', host, port, logLevel: config.logLevel, shutdownTimeoutMs: config.shutdownTimeoutMs });
  await ensureIndexTemplatesWhenReachable(app.get<ElasticsearchClient>(ELASTICSEARCH), app.get(IndexNames), config.elasticsearch.index);
  serveOpenApi(app);
  app.connectMicroservice(
    {
      strategy: new RedisStreamsServer({
        redisUrl: config.redis.url,
        stream: config.streams.events,
        partitions: config.streams.partitions,
        group: 'indexer',
        consumer: config.streams.consumerName,
        readCount: config.streams.readCount,
        // Bulk requests in flight: the order of entries does not matter to the indexer (writes by _id).
        consumers: config.streams.indexerConsumers,
        // Elasticsearch's bulk rate grows with the bulk size well past one entry's events
        // (docs/PERFORMANCE.md, "Pipeline"): the entries of one read become one bulk request.
        mergeEvents: config.streams.indexerBulkEvents,
        claimIdleMs: config.streams.claimIdleMs,
        // An Elasticsearch outage fails every delivery: allow ~100 claim periods (50 min at the
        // default 30 s) before an entry is dead-lettered, so an outage delays events, never drops them.
        maxDeliveries: config.deadLetters.indexerMaxDeliveries,
      }),
    },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen(port, host);
}

bootstrap().catch((error: Error) => {
  process.stderr.write(`alerting failed to start: ${error.message}\n`);
  process.exit(1);
});
