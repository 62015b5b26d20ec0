import { Queue, Worker } from 'bullmq';
import type { AppConfig } from '@soc/config';
import { allMembers, eventPatterns, type EventBatch, type SocEvent } from '@soc/contracts';
import {
  DeadLetterOperations,
  IndexDeadLetters,
  IngestDeadLetters,
  ingestReplayer,
  replayedEventId,
  StreamDeadLetters,
  WebhookDeadLetters,
  type DeadLetterAuditRecord,
} from '@soc/dead-letters';
import { EventsStream, RedisStreamsServer } from '@soc/event-stream';
import { createRedis, type Redis } from '@soc/redis';
import { AuditRepository, createElasticsearchClient, defaultIndexSettings, ensureIndexTemplates, EventRepository, IndexNames } from '@soc/storage';
import { EventsIndexer } from '../events.indexer';
import { IndexDeadLetters as IndexDeadLetterWriter } from '../index-dead-letters';
import { elasticsearchUrl, redisUrl, uniqueId, waitFor } from '../../../../test/support';

const client = createElasticsearchClient(elasticsearchUrl);
const actor = { sub: 'int-spec-admin', role: 'soc_admin' };

/**
 * Each kind on real Redis and Elasticsearch: dead-lettered by its own writer, listed, inspected,
 * replayed through its normal path, replayed again: one document per event, and an audit entry each.
 */
describe('dead-letter operations', () => {
  let redis: Redis;
  let stream: string;
  let names: IndexNames;
  let config: AppConfig;
  const servers: RedisStreamsServer[] = [];
  const audited: DeadLetterAuditRecord[] = [];
  let audit: AuditRepository;

  const event = (id: string, member = '0751', extra: Record<string, unknown> = {}): SocEvent => {
    const now = new Date().toISOString();
    return { '@timestamp': now, event: { id, ingested: now }, organization: { id: member }, message: id, ...extra } as SocEvent;
  };

  const operations = (extra: ConstructorParameters<typeof DeadLetterOperations>[0] = [], ingest = new IngestDeadLetters(redis, stream)) => {
    const events = new EventRepository(client, new IndexNames(names.prefix, config.ingest.eventTimeWindow));
    return new DeadLetterOperations(
      [ingest, new StreamDeadLetters(redis, stream), new IndexDeadLetters(redis, stream, (batch) => events.bulkIndex(batch as SocEvent[])), ...extra],
      async (record) => {
        audited.push(record);
        await audit.record(record);
      },
    );
  };

  const stored = async (ids: string[]) => {
    await client.indices.refresh({ index: names.eventsPattern, ignore_unavailable: true, allow_no_indices: true });
    const result = await client.search({ index: names.eventsPattern, size: 1000, query: { terms: { 'event.id': ids } } });
    return result.hits.hits.map((hit) => (hit._source as SocEvent).event.id).sort();
  };

  const serve = (group: string, handler: (batch: EventBatch) => Promise<void>, maxDeliveries = 10) => {
    const server = new RedisStreamsServer({ redisUrl, stream, group, consumer: 'c1', readCount: 10, claimIdleMs: 200, blockMs: 50, maxDeliveries });
    server.addHandler(eventPatterns.eventBatch, handler, true);
    server.listen(() => undefined);
    servers.push(server);
    return server;
  };

  beforeEach(async () => {
    const id = uniqueId();
    redis = createRedis(redisUrl, 'producer', 'dead-letters-int-spec');
    stream = `test:${id}:events`;
    names = new IndexNames(`test-dead-letters-${id}`);
    await ensureIndexTemplates(client, names);
    audit = new AuditRepository(client, names);
    audited.length = 0;
    config = {
      elasticsearch: { url: '', indexPrefix: names.prefix, index: defaultIndexSettings },
      streams: { events: stream },
      ingest: { eventTimeWindow: { maxPastMs: 86_400_000, maxFutureMs: 86_400_000 } },
    } as unknown as AppConfig;
  });

  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
    await redis.del(stream, `${stream}:dead-letter`, `${stream}:index-dead-letter`, `${stream}:index-dead-letter:count`, `${stream}:ingest-dead-letter`);
    redis.disconnect();
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
  });

  it('stream: a batch the indexer gave up on (Elasticsearch away) is replayed to the indexer only, and once indexed stays one document per event', async () => {
    const unreachable = createElasticsearchClient('http://127.0.0.1:1');
    const failing = new EventsIndexer(unreachable, redis, config);
    const correlated: string[] = [];
    serve('correlator', async (batch) => void correlated.push(batch.batch_id));
    const indexerDown = serve('indexer', (batch) => failing.index(batch), 2);

    const [appended] = await new EventsStream(redis, stream, 500).append([event('s-1'), event('s-2', '0101')]);
    await waitFor(async () => (await redis.xlen(`${stream}:dead-letter`)) === 1);
    await indexerDown.close();
    await unreachable.close();

    const ops = operations();
    const { dead_letters: letters } = await ops.list({ kind: 'stream', size: 100, offset: 0 });
    expect(letters).toEqual([
      expect.objectContaining({
        kind: 'stream',
        members: ['0751', '0101'],
        attempts: 2,
        summary: `batch ${appended.batch_id}: 2 events`,
        source: `group indexer (entry ${appended.entry_id})`,
      }),
    ]);
    expect(letters[0].reason).toMatch(/^handler failed 2 times: /);
    const detail = await ops.get('stream', letters[0].id);
    expect((detail?.payload as { batch: EventBatch }).batch.events.map((e) => e.event.id)).toEqual(['s-1', 's-2']);
    expect(await ops.list({ kind: 'stream', member: '0202', size: 100, offset: 0 })).toEqual({ dead_letters: [], total: 0 });

    // A second copy of the same batch (as if it had been dead-lettered twice) replays to the same documents.
    const [[, fields]] = (await redis.xrange(`${stream}:dead-letter`, '-', '+')) as Array<[string, string[]]>;
    await redis.xadd(`${stream}:dead-letter`, '*', ...fields);

    const indexer = new EventsIndexer(client, redis, config);
    serve('indexer', (batch) => indexer.index(batch));
    const { outcomes, remaining } = await ops.replayMatching({ kind: 'stream' }, actor, 'Elasticsearch is back');
    expect(outcomes.map((o) => o.outcome)).toEqual(['replayed', 'replayed']);
    expect(remaining).toBe(0);
    await waitFor(async () => {
      const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
      return groups.every((g) => g[g.indexOf('pending') + 1] === 0 && g[g.indexOf('lag') + 1] === 0);
    });
    expect(await stored(['s-1', 's-2'])).toEqual(['s-1', 's-2']);
    // The correlator had the batch once, before the indexer gave up; the replays were not for it.
    expect(correlated).toEqual([appended.batch_id]);
    expect(await redis.xlen(`${stream}:dead-letter`)).toBe(0);
    expect(await ops.replay('stream', letters[0].id, actor)).toMatchObject({ outcome: 'not_found' });

    expect(audited.map((a) => [a.action, a.target.id, a.organization.id, a.reason])).toEqual([
      ['dead_letter_replayed', `stream:${letters[0].id}`, 'shared-soc', 'Elasticsearch is back'],
      ['dead_letter_replayed', expect.stringMatching(/^stream:/), 'shared-soc', 'Elasticsearch is back'],
    ]);
    const trail = await audit.forTarget(allMembers, 'dead_letter', `stream:${letters[0].id}`);
    expect(trail).toEqual([expect.objectContaining({ action: 'dead_letter_replayed', actor, after: expect.objectContaining({ outcome: 'replayed' }) })]);
  });

  it('index: an event Elasticsearch refuses stays a dead letter on replay; one it now takes is indexed once however often it is replayed', async () => {
    const writer = new IndexDeadLetterWriter(redis, stream);
    const wrongType = event('i-bad', '0751', { http: { response: { status_code: 'abc' } } });
    const fixed = event('i-good', '0101');
    await writer.record([
      { event: wrongType, reason: 'document_parsing_exception: status_code' },
      { event: fixed, reason: 'mapper_parsing_exception: since fixed' },
    ]);
    await new EventRepository(client, names).bulkIndex([fixed]); // already indexed once, e.g. by an earlier replay
    await writer.record([{ event: fixed, reason: 'mapper_parsing_exception: since fixed' }]);

    const ops = operations();
    const letters = (await ops.list({ kind: 'index', size: 100, offset: 0 })).dead_letters;
    expect(letters.map((l) => [l.members[0], l.source])).toEqual([
      ['0751', 'event i-bad'],
      ['0101', 'event i-good'],
      ['0101', 'event i-good'],
    ]);
    expect((await ops.get('index', letters[1].id))?.payload).toEqual(JSON.parse(JSON.stringify(fixed)));

    const outcomes = (await ops.replayMatching({ kind: 'index' }, actor)).outcomes;
    expect(outcomes.map((o) => o.outcome)).toEqual(['refused', 'replayed', 'replayed']);
    expect(outcomes[0].detail).toMatch(/^document_parsing_exception: /);
    expect((await ops.list({ kind: 'index', size: 100, offset: 0 })).dead_letters.map((l) => l.id)).toEqual([letters[0].id]);
    expect(await stored(['i-good', 'i-bad'])).toEqual(['i-good']);
    const found = await new EventRepository(client, names).findByIds(allMembers, ['i-good']);
    expect(found).toHaveLength(1);
    expect(audited.map((a) => a.action)).toEqual(['dead_letter_replay_refused', 'dead_letter_replayed', 'dead_letter_replayed']);

    expect(await ops.discard('index', letters[0].id, actor, 'a sender bug, fixed at the source')).toBe(true);
    expect(await ops.discard('index', letters[0].id, actor, 'again')).toBe(false);
    expect(await redis.xlen(`${stream}:index-dead-letter`)).toBe(0);
    expect(audited.at(-1)).toMatchObject({ action: 'dead_letter_discarded', reason: 'a sender bug, fixed at the source', organization: { id: '0751' } });
  });

  it('ingest: listed, inspected, replayed onto the events stream as the collector reads a line (same event id every time), refused when still unreadable, discarded', async () => {
    const key = `${stream}:ingest-dead-letter`;
    const line = '<34>1 2026-12-02T10:00:00.000Z host-a sshd 4242 - - Failed password for root from 198.51.100.7 port 50000 ssh2';
    const good = await redis.xadd(key, '*', 'member', '0751', 'transport', 'tcp', 'reason', 'reader bug, since fixed', 'raw', line);
    const tooBig = await redis.xadd(key, '*', 'member', '0101', 'transport', 'udp', 'reason', 'too large', 'raw', 'x'.repeat(4_000));
    const junk = await redis.xadd(key, '*', 'member', '0751', 'transport', 'tcp', 'reason', 'not syslog', 'raw', 'garbage\u0000line');
    const options = {
      key,
      timeZone: 'Europe/Copenhagen',
      eventLimits: { maxDepth: 20, maxFields: 1000, maxBytes: 2_000 },
      eventTimeWindow: { maxPastMs: 30 * 86_400_000, maxFutureMs: 86_400_000 },
    };
    const events = new EventsStream(redis, stream, 500);
    const replayer = ingestReplayer((batch) => events.append(batch), options);
    const ops = operations([], new IngestDeadLetters(redis, stream, replayer));

    const letters = (await ops.list({ kind: 'ingest', size: 10, offset: 0 })).dead_letters;
    expect(letters.map((l) => [l.id, l.members[0], l.source, l.reason])).toEqual([
      [good!, '0751', 'tcp', 'reader bug, since fixed'],
      [tooBig!, '0101', 'udp', 'too large'],
      [junk!, '0751', 'tcp', 'not syslog'],
    ]);
    expect(letters[2].summary).toBe('12 bytes: garbage\\u0000line');
    expect((await ops.get('ingest', junk!))?.payload).toEqual({ member: '0751', transport: 'tcp', raw: 'garbage\u0000line' });
    expect(await ops.warnings({ maxCount: 0, maxAgeSeconds: 3600 })).toEqual(['3 ingest dead letters (more than 0)']);

    // Replayed twice (as after a crash between the append and the removal): the same event id both times.
    const first = await replayer({ id: good!, member: '0751', raw: line });
    expect(first.ok).toBe(true);
    expect(await ops.replay('ingest', good!, actor, 'reader fixed')).toMatchObject({ outcome: 'replayed' });
    expect(await ops.replay('ingest', tooBig!, actor)).toMatchObject({ outcome: 'refused', detail: expect.stringMatching(/^no parser recognised the line/) });
    const appended = (await redis.xrange(stream, '-', '+')) as Array<[string, string[]]>;
    const replayed = appended.flatMap(([, fields]) => (JSON.parse(fields[1]) as EventBatch).events);
    expect(replayed).toHaveLength(2);
    expect(new Set(replayed.map((e) => e.event.id)).size).toBe(1);
    expect(replayed[0]).toMatchObject({ organization: { id: '0751' }, event: { id: replayedEventId(key, good!) }, source: { ip: '198.51.100.7' } });

    await new EventRepository(client, new IndexNames(names.prefix, options.eventTimeWindow)).bulkIndex(replayed);
    expect(await stored([replayedEventId(key, good!)])).toEqual([replayedEventId(key, good!)]);
    expect((await ops.list({ kind: 'ingest', size: 10, offset: 0 })).dead_letters.map((l) => l.id)).toEqual([tooBig!, junk!]);

    expect(await ops.discard('ingest', junk!, actor, 'junk from a port scanner')).toBe(true);
    expect(audited.map((a) => [a.action, a.target.id])).toEqual([
      ['dead_letter_replayed', `ingest:${good!}`],
      ['dead_letter_replay_refused', `ingest:${tooBig!}`],
      ['dead_letter_discarded', `ingest:${junk!}`],
    ]);
  });

  it('webhook: a job that failed its last attempt is retried on its queue by replay and leaves the failed set', async () => {
    const queueName = `test-dead-letters-webhooks-${uniqueId()}`;
    const connection = { url: redisUrl };
    const queue = new Queue(queueName, { connection });
    let endpointUp = false;
    const delivered: string[] = [];
    const worker = new Worker(
      queueName,
      async (job) => {
        if (!endpointUp) throw new Error('endpoint answered 503');
        delivered.push(job.id!);
      },
      { connection },
    );
    try {
      await queue.add(
        'alert.created',
        { member: '0751', url: 'https://example.invalid/hook', type: 'alert.created', alert_id: 'a1', body: '{}' },
        { jobId: 'hook-1', attempts: 2 },
      );
      await waitFor(async () => (await queue.getFailedCount()) === 1);
      const ops = operations([new WebhookDeadLetters(queue)]);
      const [letter] = (await ops.list({ kind: 'webhook', size: 10, offset: 0 })).dead_letters;
      expect(letter).toMatchObject({
        id: 'hook-1',
        members: ['0751'],
        attempts: 2,
        reason: 'endpoint answered 503',
        source: 'alert.created → https://example.invalid/hook',
      });
      expect(await ops.warnings({ maxCount: 0, maxAgeSeconds: 3600 })).toEqual(['1 webhook dead letters (more than 0)']);

      endpointUp = true;
      expect(await ops.replay('webhook', 'hook-1', actor, 'endpoint fixed')).toMatchObject({ outcome: 'replayed' });
      await waitFor(async () => (await queue.getCompletedCount()) === 1);
      expect(delivered).toEqual(['hook-1']);
      expect(await ops.replay('webhook', 'hook-1', actor)).toMatchObject({ outcome: 'not_found' });
      expect(await queue.getFailedCount()).toBe(0);
      expect(audited.map((a) => [a.action, a.target.id])).toEqual([['dead_letter_replayed', 'webhook:hook-1']]);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
