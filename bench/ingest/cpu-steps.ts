import { randomUUID } from 'node:crypto';
import { defaultEventTimeWindow } from '@soc/contracts';
import { defaultEventLimits, parseEventBody, stampEvent, type EventBodyFormat } from '@soc/ingest';
import { benchEvents, ndjson } from './bench-events';

function eventsPerSecond(events: number, run: () => void, minMs = 500): number {
  run();
  let rounds = 0;
  const started = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < minMs) {
    run();
    rounds++;
    elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  }
  return Math.round((events * rounds) / (elapsedMs / 1_000));
}

/**
 * The collector's per-event CPU steps, one core, no I/O: where the HTTP path's time goes, so a
 * change to the parser or the stamping can be judged on its own. Each step is called as the
 * ingest controller calls it (format recognised, event-time window applied), not a shorter path.
 */
export function cpuSteps(): Record<string, number> {
  const events = benchEvents(1_000);
  const body = ndjson(events).toString();
  // What IngestController passes for an NDJSON body with no declared format.
  const format = (): EventBodyFormat => ({ format: 'auto', now: new Date(), timeZone: 'Europe/Copenhagen', plainText: false });
  const read = () => parseEventBody(body, defaultEventLimits, format());
  const parsed = read();
  if (!parsed.ok) throw new Error('bench events do not validate');
  const stamped = parsed.events.map((event) => stampEvent(event, '0751', new Date().toISOString(), defaultEventTimeWindow));
  return {
    cpu_json_parse_only_eps: eventsPerSecond(1_000, () => body.split('\n').map((line) => JSON.parse(line) as unknown)),
    cpu_parse_and_validate_eps: eventsPerSecond(1_000, read),
    cpu_stamp_eps: eventsPerSecond(1_000, () => {
      const ingested = new Date().toISOString();
      parsed.events.map((event) => stampEvent(event, '0751', ingested, defaultEventTimeWindow));
    }),
    cpu_stringify_batches_eps: eventsPerSecond(1_000, () => {
      for (let i = 0; i < stamped.length; i += 500) JSON.stringify({ batch_id: randomUUID(), events: stamped.slice(i, i + 500) });
    }),
  };
}
