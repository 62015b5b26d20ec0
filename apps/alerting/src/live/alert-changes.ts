import type { Alert } from '@soc/contracts';

/**
 * What one live stream has already sent: each alert's `updated_at` when last seen. Pure, so the
 * rule "send an alert again only when it changed" is tested without Elasticsearch.
 */
export class AlertChanges {
  private readonly seen = new Map<string, string>();
  /** The newest `updated_at` sent so far: the stream's event id, which a reconnecting browser sends back as Last-Event-ID. */
  private latest: string;

  /**
   * `since`: the Last-Event-ID of a reconnecting browser; alerts changed after it, less
   * `overlapMs`, count as changes on the first look. The overlap covers an alert written just
   * before the old stream ended but not yet searchable then (Elasticsearch's refresh); the page
   * merges an alert it already has, so sending one twice is harmless.
   */
  constructor(since?: string, overlapMs = 5_000) {
    this.resumeAfter = since && !Number.isNaN(Date.parse(since)) ? new Date(Date.parse(since) - overlapMs).toISOString() : '';
    this.latest = this.resumeAfter;
  }
  private readonly resumeAfter: string;

  get watermark(): string {
    return this.latest;
  }

  /**
   * The alerts of `page` that are new to this stream or changed since it last saw them, oldest
   * change first. On the first look (`baseline`) only those changed after `since` count: the rest
   * is what the page loaded itself.
   */
  changed(page: readonly Alert[], baseline: boolean): Alert[] {
    const changes: Alert[] = [];
    for (const alert of page) {
      const before = this.seen.get(alert.id);
      this.seen.set(alert.id, alert.updated_at);
      const isChange = baseline ? this.resumeAfter !== '' && alert.updated_at > this.resumeAfter : before !== alert.updated_at;
      if (isChange) changes.push(alert);
      if (alert.updated_at > this.latest) this.latest = alert.updated_at;
    }
    // Alerts that left the watched page are forgotten: the map stays as small as the page.
    if (this.seen.size > page.length * 2) {
      const onPage = new Set(page.map((a) => a.id));
      for (const id of this.seen.keys()) if (!onPage.has(id)) this.seen.delete(id);
    }
    return changes.sort((a, b) => a.updated_at.localeCompare(b.updated_at));
  }
}
