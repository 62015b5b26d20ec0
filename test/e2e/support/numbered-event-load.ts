/**
 * Numbered events sent to a collector one request at a time until stopped, so a test can later
 * find each number in Elasticsearch. A number counts as acknowledged only when its request was
 * answered 202 (Redis has it); a request that got no answer at all may or may not have been
 * accepted, so its numbers are kept apart rather than counted either way.
 */
export class NumberedEventLoad {
  readonly acknowledged: number[] = [];
  readonly unanswered = new Set<number>();
  /** Answers other than 202, by status: a refusal means none of that request's events was accepted. */
  readonly refusals = new Map<number, number>();
  private next = 0;
  private stopping = false;
  private running?: Promise<void>;

  constructor(
    private readonly collectorUrl: string,
    private readonly forwarderKey: string,
    /** `host.name` of every event: the test's own events, whatever else an index holds. */
    readonly host: string,
    private readonly eventsPerRequest = 50,
    private readonly pauseMs = 100,
  ) {}

  /** The number an event carries as `user.name` (a keyword), zero-padded so it sorts as it counts. */
  static label(n: number): string {
    return String(n).padStart(9, '0');
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private body(first: number): string {
    const now = new Date().toISOString();
    return Array.from({ length: this.eventsPerRequest }, (_, i) =>
      JSON.stringify({
        '@timestamp': now,
        event: { kind: 'event', dataset: 'e2e.cluster', category: ['network'], type: ['info'] },
        host: { name: this.host },
        user: { name: NumberedEventLoad.label(first + i) },
        message: `numbered event ${first + i}`,
      }),
    ).join('\n');
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const first = this.next;
      this.next += this.eventsPerRequest;
      const numbers = Array.from({ length: this.eventsPerRequest }, (_, i) => first + i);
      try {
        const reply = await fetch(`${this.collectorUrl}/v1/events`, {
          method: 'POST',
          headers: { authorization: `ApiKey ${this.forwarderKey}`, 'content-type': 'application/x-ndjson' },
          body: this.body(first),
          signal: AbortSignal.timeout(30_000),
        });
        await reply.text();
        if (reply.status === 202) this.acknowledged.push(...numbers);
        else this.refusals.set(reply.status, (this.refusals.get(reply.status) ?? 0) + 1);
      } catch {
        numbers.forEach((n) => this.unanswered.add(n));
      }
      await new Promise((r) => setTimeout(r, this.pauseMs));
    }
  }
}
