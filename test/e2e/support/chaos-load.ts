/**
 * The chaos e2e's HTTP forwarders: each request is retried (on the next collector, as a load
 * balancer would) until a collector answers 202, and the ledger keeps what was acknowledged and
 * which requests may have been stored without an acknowledgement.
 *
 * Every event carries `labels.chaos`, a name unique to it in the run (`<member>:load:<n>`,
 * `<member>:bruteforce:<step>`, `<member>:indicator:<n>`), so what the collector stored can be
 * matched to what it acknowledged.
 */

/** What happened to one attempt: stored for sure, not stored for sure, or not known. */
export type AttemptOutcome = 'acknowledged' | 'refused' | 'unknown' | 'rejected';

/** What every forwarder (HTTP here, RELP in chaos-relp.ts) was told, by event label. */
export class DeliveryLedger {
  /** Labels of events a collector acknowledged (202, or RELP's 200 OK). */
  readonly acknowledged = new Set<string>();
  /**
   * Labels of events whose request had an attempt that may have been stored without a 202: the
   * connection broke after the request was sent (collector SIGKILLed mid-request, timeout), or
   * `503 unavailable` (Redis went away during the append, whose reply may be what was lost). A
   * retry of such a request can store the events a second time under new event ids.
   */
  readonly unsure = new Set<string>();
  /** Answers by status (0: no answer, with the error code), for the test's output. */
  readonly answers = new Map<string, number>();
  /** Requests given up at the deadline without a 202. */
  readonly abandoned: string[][] = [];
  /** Labels of the first event of requests answered with a 4xx other than 429 (never retried). */
  readonly rejections: string[] = [];

  count(answer: string): void {
    this.answers.set(answer, (this.answers.get(answer) ?? 0) + 1);
  }
}

export interface Forwarder {
  /** The collectors' base URLs, tried in turn. */
  collectors: string[];
  key: string;
  /** Where this forwarder starts in the list, so forwarders spread over the collectors. */
  offset: number;
}

const attemptTimeoutMs = 10_000;
const retryPauseMs = 250;

/**
 * Sends one NDJSON body until a collector acknowledges it or `deadline` passes; true when
 * acknowledged. Never throws: every outcome is in the ledger.
 */
export async function deliver(forwarder: Forwarder, labels: string[], body: string, ledger: DeliveryLedger, deadline: number): Promise<boolean> {
  for (let attempt = 0; Date.now() < deadline; attempt += 1) {
    const url = forwarder.collectors[(forwarder.offset + attempt) % forwarder.collectors.length];
    const outcome = await attemptOnce(url, forwarder.key, body, ledger);
    if (outcome === 'acknowledged') {
      for (const label of labels) ledger.acknowledged.add(label);
      return true;
    }
    if (outcome === 'rejected') {
      ledger.rejections.push(labels[0]);
      return false;
    }
    if (outcome === 'unknown') for (const label of labels) ledger.unsure.add(label);
    await new Promise((resolve) => setTimeout(resolve, retryPauseMs));
  }
  ledger.abandoned.push(labels);
  return false;
}

async function attemptOnce(url: string, key: string, body: string, ledger: DeliveryLedger): Promise<AttemptOutcome> {
  let reply: Response;
  try {
    reply = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
      body,
      signal: AbortSignal.timeout(attemptTimeoutMs),
    });
  } catch (error) {
    const code = causeCode(error);
    ledger.count(`0 ${code}`);
    // A refused connection never reached a collector; anything else may have broken after the append.
    return code === 'ECONNREFUSED' ? 'refused' : 'unknown';
  }
  const text = await reply.text().catch(() => '');
  if (reply.status === 202) {
    ledger.count('202');
    return 'acknowledged';
  }
  const error = (() => {
    try {
      return (JSON.parse(text) as { error?: string }).error ?? '';
    } catch {
      return '';
    }
  })();
  ledger.count(`${reply.status} ${error}`.trim());
  if (reply.status === 429 || (reply.status === 503 && error === 'backlog')) return 'refused';
  if (reply.status >= 500) return 'unknown';
  // Any other 4xx is final: a 401 would mean a forwarder key was lost (Redis keeps them on disk).
  return 'rejected';
}

function causeCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string; name?: string } }).cause;
  return cause?.code ?? cause?.name ?? (error as Error).name ?? 'error';
}
