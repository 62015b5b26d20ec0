import type { Client } from '@elastic/elasticsearch';

/**
 * Bulk-indexes generated events (into the index `indexOf` names) in chunks, for integration
 * tests and benchmarks (test support, so not in the library's index); the caller refreshes.
 * Throws on the first rejected document so a broken load never passes silently.
 */
export async function bulkLoad(
  client: Client,
  events: Iterable<Record<string, unknown>>,
  indexOf: (event: Record<string, unknown>) => string,
  chunk = 10_000,
): Promise<number> {
  let operations: object[] = [];
  let total = 0;
  const flush = async () => {
    if (operations.length === 0) return;
    const result = await client.bulk({ operations, refresh: false });
    if (result.errors) {
      const first = result.items.find((item) => item.index?.error)?.index?.error;
      throw new Error(`bulk load failed: ${first?.type}: ${first?.reason}`);
    }
    operations = [];
  };
  for (const event of events) {
    operations.push({ index: { _index: indexOf(event) } }, event);
    total += 1;
    if (operations.length >= chunk * 2) await flush();
  }
  await flush();
  return total;
}
