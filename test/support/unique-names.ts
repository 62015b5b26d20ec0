import { randomUUID } from 'node:crypto';

/**
 * Each test gets its own keys, streams, queues and indices, so tests running at once on the
 * shared Redis and Elasticsearch never see each other's data and can remove exactly their own.
 */
export function uniqueId(): string {
  return randomUUID().slice(0, 8);
}

/** `<prefix><separator><8 random hex>`, e.g. `uniqueName('test')` → `test-1a2b3c4d`, `uniqueName('int', ':')` → `int:1a2b3c4d`. */
export function uniqueName(prefix: string, separator = '-'): string {
  return `${prefix}${separator}${uniqueId()}`;
}
