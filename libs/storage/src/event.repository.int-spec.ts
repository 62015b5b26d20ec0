import { randomUUID } from 'node:crypto';
import { allMembers, memberScope, type SocEvent } from '@soc/contracts';
import { createElasticsearchClient } from './elasticsearch.client';
import { EventRepository } from './event.repository';
import { IndexNames } from './index-names';
import { ensureIndexTemplates } from './index-templates';

const client = createElasticsearchClient(process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200');

const event = (id: string, member: string, timestamp: string): SocEvent => ({
  '@timestamp': timestamp,
  event: { id, ingested: timestamp, category: ['authentication'] },
  organization: { id: member },
  source: { ip: '198.51.100.7' },
  unmapped: { anything: 'kept in _source' },
});

describe(EventRepository.name, () => {
  let names: IndexNames;
  let repository: EventRepository;

  beforeEach(async () => {
    names = new IndexNames(`test-${randomUUID().slice(0, 8)}`);
    await ensureIndexTemplates(client, names);
    repository = new EventRepository(client, names);
  });

  afterEach(async () => {
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
  });

  it('indexes into daily indices by event time, idempotently, scoped by member', async () => {
    const events = [event('e1', '0751', '2026-03-01T23:59:59.000Z'), event('e2', '0461', '2026-03-02T00:00:01.000Z')];
    await repository.bulkIndex(events);
    await repository.bulkIndex(events);
    await client.indices.refresh({ index: names.eventsPattern });
    const indices = Object.keys(await client.indices.get({ index: names.eventsPattern })).sort();
    expect(indices).toEqual([`${names.prefix}-events-2026.03.01`, `${names.prefix}-events-2026.03.02`]);
    expect((await repository.findByIds(allMembers, ['e1', 'e2'])).length).toBe(2);
    expect((await repository.findByIds(memberScope('0751'), ['e1', 'e2'])).map((e) => e.event.id)).toEqual(['e1']);
    expect((await repository.findByIds(allMembers, ['e1']))[0]).toMatchObject({ unmapped: { anything: 'kept in _source' } });
  });

  it('throws naming the failure when Elasticsearch rejects an event', async () => {
    const bad = { ...event('e3', '0751', '2026-03-01T00:00:00.000Z'), source: { ip: 'not-an-ip' } } as unknown as SocEvent;
    await expect(repository.bulkIndex([bad])).rejects.toThrow(/^1 of 1 events not indexed: document_parsing_exception/);
  });
});
