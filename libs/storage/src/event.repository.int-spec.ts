import { allMembers, memberScope, type SocEvent } from '@soc/contracts';
import { createElasticsearchClient } from './elasticsearch.client';
import { EventRepository } from './event.repository';
import { IndexNames } from './index-names';
import { eventMappingFrom } from './event-mapping';
import { ensureIndexTemplates } from './index-templates';
import { elasticsearchUrl, uniqueName } from '../../../test/support';

const client = createElasticsearchClient(elasticsearchUrl);

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
    names = new IndexNames(uniqueName('test'));
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

  it('returns the events Elasticsearch refuses for their own fault, with the reason, and indexes the rest', async () => {
    const bad = { ...event('e3', '0751', '2026-03-01T00:00:00.000Z'), source: { ip: 'not-an-ip' } } as unknown as SocEvent;
    const refused = await repository.bulkIndex([event('e4', '0751', '2026-03-01T00:00:00.000Z'), bad]);
    expect(refused).toEqual([{ event: bad, reason: expect.stringMatching(/^document_parsing_exception: .*source\.ip/) }]);
    await client.indices.refresh({ index: names.eventsPattern });
    expect((await repository.findByIds(allMembers, ['e3', 'e4'])).map((e) => e.event.id)).toEqual(['e4']);
  });

  it('refuses, without asking Elasticsearch, an event time outside the window of its index names', async () => {
    const windowed = new EventRepository(client, new IndexNames(names.prefix, { maxPastMs: 86_400_000, maxFutureMs: 86_400_000 }));
    const old = event('e5', '0751', '2000-01-01T00:00:00.000Z');
    expect(await windowed.bulkIndex([old])).toEqual([{ event: old, reason: expect.stringMatching(/^event_time_outside_window: /) }]);
    expect(await client.indices.exists({ index: names.eventsIndexFor(old['@timestamp']) })).toBe(false);
  });

  it('installs exactly the mapping derived from the field table', async () => {
    const template = await client.indices.getIndexTemplate({ name: `${names.prefix}-events` });
    expect(template.index_templates[0].index_template.template?.mappings).toEqual(eventMappingFrom());
  });
});
