import { Agent } from 'node:http';
import type { Client } from '@elastic/elasticsearch';
import { postNdjson } from './load';
import { canaryBody, canaryIp } from './traffic';

/** A canary not found as an alert this long after it was accepted counts as missed. */
const MISSED_AFTER_MS = 120_000;

/**
 * Detection latency, end to end: one canary event every `everyMs` (each reaching its own
 * indicator), timed from the collector's 202 until its alert is found by a search of the alerts
 * index, i.e. until an analyst could see it (collector, stream, correlator, detections queue,
 * alerting, Elasticsearch and its refresh interval of 1 s).
 */
export class Canaries {
  sent = 0;
  accepted = 0;
  detected = 0;
  missed = 0;
  /** Latencies of canaries found since the last `takeLatencies()`. */
  private fresh: number[] = [];
  readonly all: Array<{ at: number; ms: number }> = [];
  private readonly pending = new Map<string, number>();
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly target: URL,
    private readonly keys: string[],
    private readonly es: Client,
    private readonly alertsIndex: string,
    private readonly everyMs: number,
    private readonly limit: number,
  ) {}

  start(): void {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = async () => {
      while (!this.stopped && this.sent < this.limit) {
        const n = this.sent++;
        const at = Date.now();
        const status = await postNdjson(this.target, agent, this.keys[n % this.keys.length]!, canaryBody(n)).catch(() => 0);
        if (status === 202) {
          this.accepted++;
          this.pending.set(canaryIp(n), Date.now());
        }
        await new Promise((r) => setTimeout(r, Math.max(0, this.everyMs - (Date.now() - at))));
      }
      agent.destroy();
    };
    const watch = async () => {
      while (!this.stopped || this.pending.size > 0) {
        await this.look();
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    this.loops = [send(), watch()];
  }

  private async look(): Promise<void> {
    const now = Date.now();
    for (const [ip, at] of this.pending) {
      if (now - at > MISSED_AFTER_MS) {
        this.pending.delete(ip);
        this.missed++;
      }
    }
    if (this.pending.size === 0) return;
    const reply = await this.es
      .search<{ observables?: Array<{ value: string }> }>({
        index: this.alertsIndex,
        size: 200,
        _source: ['observables'],
        query: { terms: { 'observables.value': [...this.pending.keys()] } },
      })
      .catch(() => undefined);
    const foundAt = Date.now();
    for (const hit of reply?.hits.hits ?? []) {
      for (const o of hit._source?.observables ?? []) {
        const at = this.pending.get(o.value);
        if (at === undefined) continue;
        this.pending.delete(o.value);
        this.detected++;
        this.fresh.push(foundAt - at);
        this.all.push({ at: foundAt, ms: foundAt - at });
      }
    }
  }

  /** The latencies measured since the previous call. */
  takeLatencies(): number[] {
    const taken = this.fresh;
    this.fresh = [];
    return taken;
  }

  /** Stops sending and waits until every canary sent is found or given up as missed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }
}
