import type { AppConfig } from '@soc/config';
import { allMembers, eventPatterns, type EventBatch, type SocEvent } from '@soc/contracts';
import { EventsStream, RedisStreamsServer } from '@soc/event-stream';
import { createRedis, type Redis } from '@soc/redis';
import { createElasticsearchClient, defaultIndexSettings, ensureIndexTemplates, EventRepository, IndexNames } from '@soc/storage';
import { EventsIndexer } from './events.indexer';
import { elasticsearchUrl, redisUrl, uniqueId, waitFor } from '../../../test/support';

const client = createElasticsearchClient(elasticsearchUrl);

describe(EventsIndexer.name, () => {
  let redis: Redis;
  let stream: string;
  let names: IndexNames;
  let config: AppConfig;
  let server: RedisStreamsServer | undefined;

  const event = (id: string, extra: Record<string, unknown> = {}): SocEvent => {
    const now = new Date().toISOString();
    return { '@timestamp': now, event: { id, ingested: now }, organization: { id: '0751' }, message: id, ...extra } as SocEvent;
  };

  beforeEach(async () => {
    const id = uniqueId();
    redis = createRedis(redisUrl, 'producer', 'indexer-int-spec');
    stream = `test:${id}:events`;
    names = new IndexNames(`test-indexer-${id}`);
    await ensureIndexTemplates(client, names);
    config = {
      elasticsearch: { url: '', indexPrefix: names.prefix, index: defaultIndexSettings },
      streams: { events: stream },
      ingest: { eventTimeWindow: { maxPastMs: 86_400_000, maxFutureMs: 86_400_000 } },
    } as unknown as AppConfig;
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await redis.del(stream, `${stream}:dead-letter`, `${stream}:index-dead-letter`, `${stream}:index-dead-letter:count`);
    redis.disconnect();
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
  });

  it('indexes the good events of a mixed batch, dead-letters the bad ones with their reason, and leaves nothing pending', async () => {
    const indexer = new EventsIndexer(client, redis, config);
    server = new RedisStreamsServer({ redisUrl, stream, group: 'indexer', consumer: 'c1', readCount: 10, claimIdleMs: 1_000, blockMs: 100 });
    server.addHandler(eventPatterns.eventBatch, async (batch: EventBatch) => indexer.index(batch), true);
    server.listen(() => undefined);

    const wrongType = event('bad-type', { http: { response: { status_code: 'abc' } } });
    const outsideWindow = event('bad-time', { '@timestamp': '2000-01-01T00:00:00.000Z' });
    await new EventsStream(redis, stream, 500).append([event('good-1'), wrongType, event('good-2'), outsideWindow]);

    await waitFor(async () => (await redis.xlen(`${stream}:index-dead-letter`)) === 2);
    await waitFor(async () => {
      const [group] = (await redis.xinfo('GROUPS', stream)) as unknown[][];
      const fields = Object.fromEntries(Array.from({ length: group.length / 2 }, (_, i) => [group[2 * i], group[2 * i + 1]]));
      return fields.pending === 0 && fields.lag === 0;
    });

    await client.indices.refresh({ index: names.eventsPattern });
    const stored = await new EventRepository(client, names).findByIds(allMembers, ['good-1', 'good-2', 'bad-type', 'bad-time']);
    expect(stored.map((e) => e.event.id).sort()).toEqual(['good-1', 'good-2']);

    const letters = (await redis.xrange(`${stream}:index-dead-letter`, '-', '+')).map(([, fields]) => {
      const record: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) record[fields[i]] = fields[i + 1];
      return record;
    });
    // The event outside the window is refused before the bulk request, the other by Elasticsearch.
    expect(letters).toEqual([
      { member: '0751', event_id: 'bad-time', reason: expect.stringMatching(/^event_time_outside_window: /), event: JSON.stringify(outsideWindow) },
      {
        member: '0751',
        event_id: 'bad-type',
        reason: expect.stringMatching(/^document_parsing_exception: .*http\.response\.status_code/),
        event: JSON.stringify(wrongType),
      },
    ]);
    expect(await redis.hget(`${stream}:index-dead-letter:count`, '0751')).toBe('2');
    expect(await redis.xlen(`${stream}:dead-letter`)).toBe(0);
  });

  it('indexes entries merged into one bulk (INDEXER_BULK_EVENTS), dead-letters the bad event of one of them, and acknowledges them all', async () => {
    const indexer = new EventsIndexer(client, redis, config);
    // Written before the server starts, so one read returns all three entries.
    const wrongType = event('bad-type', { http: { response: { status_code: 'abc' } } });
    await new EventsStream(redis, stream, 2).append([event('m-1'), wrongType, event('m-2'), event('m-3'), event('m-4')]);
    const bulks: number[] = [];
    server = new RedisStreamsServer({ redisUrl, stream, group: 'indexer', consumer: 'c1', readCount: 10, claimIdleMs: 1_000, blockMs: 100, mergeEvents: 2000 });
    server.addHandler(
      eventPatterns.eventBatch,
      async (batch: EventBatch) => {
        bulks.push(batch.events.length);
        await indexer.index(batch);
      },
      true,
    );
    server.listen(() => undefined);

    await waitFor(async () => {
      const [group] = (await redis.xinfo('GROUPS', stream)) as unknown[][];
      const fields = Object.fromEntries(Array.from({ length: group.length / 2 }, (_, i) => [group[2 * i], group[2 * i + 1]]));
      return fields.pending === 0 && fields.lag === 0;
    });
    expect(bulks).toEqual([5]);
    await client.indices.refresh({ index: names.eventsPattern });
    const stored = await new EventRepository(client, names).findByIds(allMembers, ['m-1', 'm-2', 'm-3', 'm-4', 'bad-type']);
    expect(stored.map((e) => e.event.id).sort()).toEqual(['m-1', 'm-2', 'm-3', 'm-4']);
    const letters = await redis.xrange(`${stream}:index-dead-letter`, '-', '+');
    expect(letters.map(([, fields]) => fields[fields.indexOf('event_id') + 1])).toEqual(['bad-type']);
    expect(await redis.xlen(`${stream}:dead-letter`)).toBe(0);
  });

  it('throws on a failure that may pass (Elasticsearch unreachable), so the entry is retried, and dead-letters nothing', async () => {
    const unreachable = createElasticsearchClient('http://127.0.0.1:1');
    const indexer = new EventsIndexer(unreachable, redis, config);
    await expect(indexer.index({ batch_id: 'b', events: [event('e1')] })).rejects.toThrow();
    expect(await redis.xlen(`${stream}:index-dead-letter`)).toBe(0);
  });
});
