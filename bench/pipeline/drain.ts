import type { Client } from '@elastic/elasticsearch';
import type { Queue } from 'bullmq';
import type { Redis } from '@soc/redis';

/** Lag and pending of each consumer group on the stream (a group not created yet is absent). */
export async function groupBacklogs(redis: Redis, stream: string): Promise<Record<string, { lag: number | null; pending: number }>> {
  const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
  return Object.fromEntries(
    groups.map((group) => {
      const info = Object.fromEntries(Array.from({ length: group.length / 2 }, (_, i) => [group[2 * i], group[2 * i + 1]]));
      return [info['name'] as string, { lag: info['lag'] as number | null, pending: info['pending'] as number }];
    }),
  );
}

/** Which parts are done: each named group has read and acknowledged every entry of every partition; the detections queue has nothing waiting or running. */
export async function drainedParts(redis: Redis, streams: readonly string[], groups: string[], detections: Queue): Promise<Record<string, boolean>> {
  const parts: Record<string, boolean> = Object.fromEntries(groups.map((g) => [g, true]));
  for (const stream of streams) {
    const backlogs = await groupBacklogs(redis, stream);
    for (const g of groups) if (!(backlogs[g]?.lag === 0 && backlogs[g]?.pending === 0)) parts[g] = false;
  }
  const jobs = await detections.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  parts['detections'] = Object.values(jobs).every((n) => n === 0);
  return parts;
}

/**
 * When each part was last seen catching up, in seconds from `started`: a part that is done now but
 * gets more work later (the detections queue, fed by the correlator) counts from its last catch-up.
 */
export class DrainTimes {
  private readonly doneSince: Record<string, number | undefined> = {};

  note(parts: Record<string, boolean>, now = Date.now()): boolean {
    for (const [part, done] of Object.entries(parts)) {
      if (!done) this.doneSince[part] = undefined;
      else this.doneSince[part] ??= now;
    }
    return Object.values(parts).every(Boolean);
  }

  secondsFrom(started: number): Record<string, number | null> {
    return Object.fromEntries(Object.entries(this.doneSince).map(([part, at]) => [part, at === undefined ? null : Number(((at - started) / 1000).toFixed(1))]));
  }
}

/**
 * Samples Elasticsearch's own count of documents indexed into the pattern (`index_total` of the
 * primaries: counts a write when it happens, whatever the refresh interval), so the indexing rate
 * is measured on the Elasticsearch side from the first indexed document to the last.
 */
export class IndexingClock {
  private readonly samples: Array<{ at: number; total: number }> = [];
  private timer?: NodeJS.Timeout;
  private sampling?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly client: Client,
    private readonly pattern: string,
    private readonly everyMs = 100,
  ) {}

  start(): void {
    const tick = () => {
      // A sample that fails (Elasticsearch busy) is skipped: the next one counts the same writes.
      this.sampling = this.sample()
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.everyMs);
        });
    };
    tick();
  }

  /** Stops sampling and takes a last sample. */
  async stop(): Promise<void> {
    this.cancel();
    await this.sampling?.catch(() => undefined);
    await this.sample();
  }

  /** Stops sampling (a run that failed). */
  cancel(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async sample(): Promise<void> {
    const stats = await this.client.indices.stats({ index: this.pattern, metric: 'indexing' });
    this.samples.push({ at: Date.now(), total: stats._all.primaries?.indexing?.index_total ?? 0 });
  }

  /**
   * Documents indexed per second between the first sample that saw any and the first that saw the
   * final total (what was indexed before the first sample is left out of both sides).
   */
  rate(): { eps: number; seconds: number; total: number } | undefined {
    const total = this.samples.at(-1)?.total ?? 0;
    const first = this.samples.find((s) => s.total > 0);
    const last = this.samples.find((s) => s.total === total);
    if (!first || !last || last.at <= first.at) return undefined;
    const seconds = (last.at - first.at) / 1000;
    return { eps: Math.round((total - first.total) / seconds), seconds: Number(seconds.toFixed(1)), total };
  }
}
