import { Agent, request } from 'node:http';

export interface LoadResult {
  events: number;
  requests: number;
  seconds: number;
  eps: number;
  refused: number;
}

/**
 * Runs `inFlight` concurrent loops for `seconds`, each awaiting `send` and counting the events
 * it reports as accepted: sustained throughput, not a burst.
 */
export async function sustain(inFlight: number, seconds: number, send: () => Promise<number>): Promise<LoadResult> {
  let events = 0;
  let requests = 0;
  let refused = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1_000;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (Date.now() < deadline) {
        const accepted = await send();
        requests++;
        if (accepted > 0) events += accepted;
        else refused++;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { events, requests, seconds: elapsed, eps: Math.round(events / elapsed), refused };
}

/** POSTs one prepared NDJSON body with a keep-alive agent; resolves the accepted count (0 if refused). */
export function ndjsonPoster(url: string, apiKey: string, agent: Agent, body: Buffer, events: number): () => Promise<number> {
  const target = new URL('/v1/events', url);
  const headers = {
    authorization: `ApiKey ${apiKey}`,
    'content-type': 'application/x-ndjson',
    'content-length': String(body.length),
  };
  return () =>
    new Promise((resolve, reject) => {
      const req = request(target, { method: 'POST', headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 202 ? events : 0));
      });
      req.on('error', reject);
      req.end(body);
    });
}
