import { Logger } from '@nestjs/common';
import { ensureIndexTemplates, type ElasticsearchClient, type IndexNames, type IndexSettings } from '@soc/storage';

/** Elasticsearch may still be starting: retry for a minute, then give up loudly. */
export async function ensureIndexTemplatesWhenReachable(
  client: ElasticsearchClient,
  names: IndexNames,
  settings: IndexSettings,
  timeoutMs = 60_000,
): Promise<void> {
  const logger = new Logger('IndexSetup');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await ensureIndexTemplates(client, names, settings);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`cannot create index templates: ${(error as Error).message}`);
      logger.warn(`Elasticsearch not ready (${(error as Error).message}); retrying`);
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
}
