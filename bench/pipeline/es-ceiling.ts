import { Client } from '@elastic/elasticsearch';

/** One point of the sweep: bulk requests of `bulkSize` documents, `concurrency` of them in flight. */
export interface CeilingPoint {
  bulk_size: number;
  concurrency: number;
  eps: number;
}

/**
 * Reads back up to `limit` documents the product indexed (the same documents, as stored), so the
 * ceiling is measured on exactly what the indexer had to write.
 */
export async function readIndexed(client: Client, pattern: string, limit: number): Promise<Array<{ id: string; source: object }>> {
  const docs: Array<{ id: string; source: object }> = [];
  let page = await client.search<object>({ index: pattern, scroll: '1m', size: 5_000, sort: ['_doc'] });
  while (page.hits.hits.length > 0 && docs.length < limit) {
    for (const hit of page.hits.hits) if (docs.length < limit) docs.push({ id: hit._id!, source: hit._source! });
    page = await client.scroll<object>({ scroll_id: page._scroll_id!, scroll: '1m' });
  }
  if (page._scroll_id) await client.clearScroll({ scroll_id: page._scroll_id }).catch(() => undefined);
  return docs;
}

/**
 * Elasticsearch's own bulk rate for `docs` from a bare client: the product's events template is
 * copied for a pattern of its own, and each point of the sweep indexes every document (same `_id`s,
 * so Elasticsearch does the same id look-ups) into a fresh index. The NDJSON bodies are serialised
 * before the clock starts: the figure is what Elasticsearch takes, not what a client can format.
 */
export async function bulkCeiling(
  client: Client,
  productTemplate: string,
  prefix: string,
  docs: Array<{ id: string; source: object }>,
  sweep: { bulkSizes: number[]; concurrencies: number[] },
): Promise<CeilingPoint[]> {
  const { index_templates } = await client.indices.getIndexTemplate({ name: productTemplate });
  const template = index_templates[0]!.index_template.template!;
  await client.indices.putIndexTemplate({ name: prefix, index_patterns: [`${prefix}-*`], priority: 200, template });
  const points: CeilingPoint[] = [];
  const lines = docs.map((d) => JSON.stringify(d.source));
  for (const bulkSize of sweep.bulkSizes) {
    for (const concurrency of sweep.concurrencies) {
      const index = `${prefix}-${bulkSize}-${concurrency}`;
      await client.indices.create({ index });
      await client.cluster.health({ index, wait_for_status: 'yellow' });
      const action = (id: string) => JSON.stringify({ index: { _index: index, _id: id } });
      const bodies: string[] = [];
      for (let i = 0; i < docs.length; i += bulkSize) {
        bodies.push(
          docs
            .slice(i, i + bulkSize)
            .map((d, j) => `${action(d.id)}\n${lines[i + j]}\n`)
            .join(''),
        );
      }
      let next = 0;
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < bodies.length) {
            const body = bodies[next++]!;
            // A string is sent as it is (not serialised again) by the client's transport.
            const result = await client.bulk({ operations: body as never, filter_path: 'errors' });
            if (result.errors) throw new Error(`the ceiling bulk into ${index} had item errors`);
          }
        }),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      points.push({ bulk_size: bulkSize, concurrency, eps: Math.round(docs.length / seconds) });
      await client.indices.delete({ index });
    }
  }
  await client.indices.deleteIndexTemplate({ name: prefix });
  return points;
}
