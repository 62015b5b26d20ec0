import type { Detection, SocEvent } from '@soc/contracts';
import { commitCorrelation, type CorrelationEngine, type CorrelationStores } from '@soc/correlation';
import { hasStreamBatchShape } from '@soc/event-stream';
import type { IndicatorIndex } from '@soc/indicators';
import { eventIdOf, parseRawLine, type RawLine } from './corpus';
import { startTimer, type Timing } from './cpu-timer';
import { ReplayClock } from './replay-clock';

/** The stream's batch size in the service. */
export const batchSize = 500;
/** The detection time stamped on every detection: fixed, so runs compare. */
const now = new Date('2026-01-06T00:00:00Z');

export interface Run {
  /** The collector's work: parsing, stamping and serialising the lines into stream entries (as UTF-8 bytes), summed over the batches. */
  parse: Timing;
  /**
   * The correlator's decoding of each batch's stream entry: the Redis client's joining and UTF-8
   * decoding of the reply's bytes, `JSON.parse` and the shape check `RedisStreamsServer` makes
   * before the handler, summed over the batches.
   */
  decode: Timing;
  /** `CorrelationEngine.evaluate` + feeding promotions back, summed over the batches. */
  engine: Timing;
  events: number;
  failures: number;
  detections: Detection[];
}

/**
 * How a stream entry reaches the correlator: its bytes in the socket reads the Redis client gets
 * (Node reads a TCP socket 64 KiB at a time), which ioredis's RESP decoder joins (`Buffer.concat`)
 * and decodes from UTF-8 (`toString()`) before the handler sees the entry's text.
 */
const socketReadBytes = 64 * 1024;

/** The entry's text as bytes, cut as the socket would deliver them (views into one buffer, no copy). */
function asSocketReads(entry: string): Buffer[] {
  const bytes = Buffer.from(entry);
  const reads: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += socketReadBytes) reads.push(bytes.subarray(at, at + socketReadBytes));
  return reads;
}

/**
 * A stream entry as the correlator reads it: joined and decoded from UTF-8 as ioredis's RESP decoder
 * does (ioredis 6, `resp/decoder.js`), then parsed and shape-checked as `RedisStreamsServer` does
 * before handing the batch on.
 */
function decodeEntry(reads: readonly Buffer[]): SocEvent[] {
  const text = (reads.length === 1 ? reads[0] : Buffer.concat(reads)).toString();
  const read: unknown = JSON.parse(text);
  if (!hasStreamBatchShape(read)) throw new Error('the bench wrote a stream entry the correlator would refuse');
  return read.events as SocEvent[];
}

/** Adds one batch's timing of a phase to the phase's sum. */
function addTo(sum: Timing, part: Timing): void {
  sum.cpuSeconds += part.cpuSeconds;
  sum.wallSeconds += part.wallSeconds;
}

/**
 * One engine streaming raw lines as the service sees them, one batch per `next()`: `batchSize` lines
 * parsed, stamped and serialised into a stream entry's bytes, read back as the correlator's Redis
 * client gets them, decoded, evaluated, then dropped (no array of all events is kept, so events die
 * young as in the correlator). Parse, decode and engine CPU/wall time are accumulated per batch,
 * separately.
 * Promotions are fed back into the index as the service does, and taken out again by `finish()`.
 */
export class CorpusStream {
  private readonly clock = new ReplayClock();
  private readonly stores: CorrelationStores;
  private readonly detections: Detection[] = [];
  private readonly promoted: string[] = [];
  private readonly end: number;
  private position = 0;
  private readonly parse: Timing = { cpuSeconds: 0, wallSeconds: 0 };
  private readonly decode: Timing = { cpuSeconds: 0, wallSeconds: 0 };
  private readonly evaluation: Timing = { cpuSeconds: 0, wallSeconds: 0 };
  private events = 0;
  private failures = 0;

  constructor(
    private readonly engine: CorrelationEngine,
    private readonly index: IndicatorIndex,
    private readonly raw: readonly RawLine[],
    count = raw.length,
    /** Instead of the in-memory stores: one that keeps nothing (ForgetfulWindowStore), the correlator's (RedisStores). */
    stores: Partial<CorrelationStores> = {},
    /**
     * Added to a line's position before its event id is derived (`eventIdOf`). Passes that share
     * stores (the Redis configurations' warm-up and measured passes) give each its own, so no event
     * of one can look like a redelivery of the other's in a window that happens to hold both.
     */
    private readonly idBase = 0,
  ) {
    this.end = Math.min(count, raw.length);
    this.stores = { ...this.clock.stores(), ...stores };
  }

  get done(): boolean {
    return this.position >= this.end;
  }

  async next(): Promise<void> {
    let timer = startTimer();
    const entry = this.collectBatch();
    const reads = entry === undefined ? undefined : asSocketReads(entry);
    addTo(this.parse, timer());
    timer = startTimer();
    const events = reads === undefined ? [] : decodeEntry(reads);
    addTo(this.decode, timer());
    timer = startTimer();
    if (events.length > 0) {
      this.clock.advance(events);
      const result = await this.engine.evaluate(events, this.stores, { now });
      // The correlator commits after enqueueing; here nothing is enqueued, so right away.
      await commitCorrelation(this.stores, result.commit);
      for (const d of result.detections) this.detections.push(d);
      for (const p of result.promotions) {
        this.index.upsert(p.indicator);
        this.promoted.push(p.indicator.id);
      }
    }
    addTo(this.evaluation, timer());
    this.events += events.length;
  }

  /**
   * The next `batchSize` lines as the collector sends them on: parsed, stamped and serialised into
   * the events stream's entry (byte for byte `JSON.stringify` of the batch envelope, see
   * `EventsStream`), or undefined when none parsed (counted as failures). The engine gets its events
   * from this entry, as the correlator does, never the parser's objects: those die here, at once. Kept
   * alive into the engine's pass, V8 pretenured the parser's allocation sites, and the dead events'
   * pointers into the young generation made every scavenge copy what they pointed to; the engine's
   * CPU carried a cost that is the collector's, in another process (docs/PERFORMANCE.md, twelfth
   * session of issue 15).
   */
  private collectBatch(): string | undefined {
    const first = this.position;
    const last = Math.min(first + batchSize, this.end);
    this.position = last;
    const events: string[] = [];
    for (let j = first; j < last; j++) {
      const event = parseRawLine(this.raw[j], eventIdOf(this.idBase + j));
      if (event) events.push(JSON.stringify(event));
      else this.failures++;
    }
    if (events.length === 0) return undefined;
    return `{"batch_id":"batch-${first}","correlation_id":"bench","events":[${events.join(',')}]}`;
  }

  finish(): Run {
    for (const id of this.promoted) this.index.remove(id); // the next configuration starts from the feed alone
    return {
      parse: { ...this.parse },
      decode: { ...this.decode },
      engine: { ...this.evaluation },
      events: this.events,
      failures: this.failures,
      detections: this.detections,
    };
  }
}

export async function streamAll(engine: CorrelationEngine, index: IndicatorIndex, raw: readonly RawLine[], count = raw.length): Promise<Run> {
  const stream = new CorpusStream(engine, index, raw, count);
  while (!stream.done) await stream.next();
  return stream.finish();
}

/** Batches each stream takes in turn when streams run side by side. */
const turnBatches = 4;

/**
 * Several engines over the same lines side by side: each takes `turnBatches` batches in turn, the
 * order rotating, so the machine's slow and fast seconds (this machine is shared: identical runs
 * differ by ±20 %) fall on every configuration alike and the ratios between them hold.
 */
export async function streamSideBySide(streams: readonly CorpusStream[]): Promise<Run[]> {
  for (let turn = 0; streams.some((s) => !s.done); turn++) {
    for (let k = 0; k < streams.length; k++) {
      const stream = streams[(turn + k) % streams.length];
      for (let b = 0; b < turnBatches && !stream.done; b++) await stream.next();
    }
  }
  return streams.map((s) => s.finish());
}
