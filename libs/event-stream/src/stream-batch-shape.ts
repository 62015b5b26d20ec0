import type { EventBatch } from '@soc/contracts';

/**
 * True when a parsed stream entry has the shape `streams.events.readPayload` (the catalogue's read
 * schema) accepts: the envelope (`batch_id`, an optional `correlation_id`, at least one event) and
 * of every event a non-empty `@timestamp`, `event.id` and `organization.id`. The same rules, written
 * out: zod's walk over every event of every entry was about 3 % of the indexer's CPU. A value this
 * refuses goes to the schema itself, which names each bad field for the dead letter; so this must
 * never accept what the schema refuses (stream-batch-shape.spec.ts compares the two).
 */
export function hasStreamBatchShape(value: unknown): value is EventBatch {
  if (!isObject(value) || !isText(value.batch_id)) return false;
  if (value.correlation_id !== undefined && !isText(value.correlation_id)) return false;
  const events = value.events;
  if (!Array.isArray(events) || events.length === 0) return false;
  for (const event of events as unknown[]) {
    if (!isObject(event) || !isText(event['@timestamp'])) return false;
    const { event: meta, organization } = event;
    if (!isObject(meta) || !isText(meta.id) || !isObject(organization) || !isText(organization.id)) return false;
  }
  return true;
}

/** An object as zod's object schemas take it: not null, not an array. */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}
