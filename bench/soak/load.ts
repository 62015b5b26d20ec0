import { Agent, request } from 'node:http';
import { seeded } from '../support/seeded-random';
import { EVENTS_PER_REQUEST, steadyBody } from './traffic';

/** What the load has done so far; the sampler reads it every interval. */
export interface LoadCounters {
  accepted: number;
  refusedRequests: number;
  failedRequests: number;
}

export function postNdjson(url: URL, agent: Agent, key: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson', 'content-length': String(body.length) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Steady traffic into the collector's HTTP input, paced to `rate` events/s (Infinity: as fast as
 * the collector accepts, for calibration) by `inFlight` senders, each member's key in turn. A
 * refusal (backlog 503, rate limit 429) is counted and the sender backs off for a second; the
 * events of a refused request were never acknowledged, so they are not owed.
 */
export class SteadyLoad {
  readonly counters: LoadCounters = { accepted: 0, refusedRequests: 0, failedRequests: 0 };
  private stopped = false;
  private running?: Promise<void>;

  constructor(
    private readonly target: URL,
    private readonly keys: string[],
    private readonly inFlight: number,
  ) {}

  start(rate: number, seed: number): void {
    const agent = new Agent({ keepAlive: true, maxSockets: this.inFlight });
    const random = seeded(seed);
    const started = Date.now();
    let offered = 0;
    let next = 0;
    const sender = async () => {
      while (!this.stopped) {
        if (Number.isFinite(rate)) {
          const due = started + ((offered + EVENTS_PER_REQUEST) / rate) * 1000;
          if (due > Date.now()) {
            await new Promise((r) => setTimeout(r, Math.min(1_000, due - Date.now())));
            continue;
          }
        }
        offered += EVENTS_PER_REQUEST;
        const key = this.keys[next++ % this.keys.length]!;
        const status = await postNdjson(this.target, agent, key, steadyBody(random)).catch(() => 0);
        if (status === 202) this.counters.accepted += EVENTS_PER_REQUEST;
        else {
          if (status === 0) this.counters.failedRequests++;
          else this.counters.refusedRequests++;
          await new Promise((r) => setTimeout(r, 1_000));
        }
      }
    };
    this.running = Promise.all(Array.from({ length: this.inFlight }, sender)).then(() => agent.destroy());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}
