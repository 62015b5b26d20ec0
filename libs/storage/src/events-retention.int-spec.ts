import { randomUUID } from 'node:crypto';
import { createElasticsearchClient } from './elasticsearch.client';
import { EventsRetention } from './events-retention';
import { IndexNames } from './index-names';
import { ensureIndexTemplates } from './index-templates';

const client = createElasticsearchClient(process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200');
const dayMs = 86_400_000;
const dayName = (daysAgo: number) => new Date(Date.now() - daysAgo * dayMs).toISOString().slice(0, 10).replace(/-/g, '.');

describe('EventsRetention on Elasticsearch', () => {
  const names = new IndexNames(`retention-${randomUUID().slice(0, 8)}`);
  // Another deployment whose prefix begins with ours: its old indices are not ours to delete.
  const neighbour = new IndexNames(`${names.prefix}-eu`);

  beforeAll(async () => {
    await ensureIndexTemplates(client, names, { replicas: 0, eventsShards: 2, eventsRefreshInterval: '5s', eventsRetentionDays: 5 });
    for (const daysAgo of [0, 5, 6, 40]) await client.indices.create({ index: `${names.prefix}-events-${dayName(daysAgo)}` });
    await client.indices.create({ index: `${neighbour.prefix}-events-${dayName(40)}` });
  });

  afterAll(async () => {
    await client.indices.delete({ index: `${names.prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }, { ignore: [404] });
    await client.close();
  });

  it('lays out new events indices by the configured shards, replicas and refresh interval', async () => {
    const index = `${names.prefix}-events-${dayName(0)}`;
    const settings = await client.indices.getSettings({ index, flat_settings: true });
    expect(settings[index].settings).toMatchObject({ 'index.number_of_shards': '2', 'index.number_of_replicas': '0', 'index.refresh_interval': '5s' });
  });

  it("names, then deletes, only this prefix's daily indices older than the retention; a second run finds nothing", async () => {
    const retention = new EventsRetention(client, names, 5);
    const expected = [`${names.prefix}-events-${dayName(40)}`, `${names.prefix}-events-${dayName(6)}`];
    expect(await retention.expired()).toEqual(expected);
    expect(await retention.apply()).toEqual(expected);
    const left = (await client.cat.indices({ index: `${names.prefix}-*`, h: 'index', format: 'json' })) as Array<{ index: string }>;
    expect(left.map((i) => i.index).sort()).toEqual(
      [
        `${names.prefix}-events-${dayName(0)}`,
        `${names.prefix}-events-${dayName(5)}`,
        `${neighbour.prefix}-events-${dayName(40)}`,
        // Alerts, the audit trail and exceptions are never the retention's.
        names.alerts,
        names.audit,
        names.exceptions,
      ].sort(),
    );
    expect(await retention.apply()).toEqual([]);
  });

  it('deletes nothing when retention is off', async () => {
    expect(await new EventsRetention(client, neighbour, 0).apply()).toEqual([]);
    expect(await client.indices.exists({ index: `${neighbour.prefix}-events-${dayName(40)}` })).toBe(true);
  });
});
