import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A plain Node HTTP request, as a forwarder or a script would send it: the bytes and headers
 * exactly as given (fetch would add, fix or refuse some). A dropped connection rejects.
 */
export function rawRequest(url: string, method: string, headers: Record<string, string>, body?: Buffer | string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    // A connection per request (no keep-alive agent): one request's fate cannot be another's.
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Why an answer breaks the API's error contract (docs/API.md, "Errors"), or undefined if it keeps
 * it: never a 5xx (a 503 only with Retry-After, for a genuine outage or backlog), and every
 * 4xx/5xx a JSON object with a string `message` and an `error` code.
 */
export function contractBreach(answer: RawAnswer): string | undefined {
  if (answer.status >= 500 && !(answer.status === 503 && answer.headers['retry-after'] !== undefined)) {
    return `answered ${answer.status}: ${answer.body.slice(0, 300)}`;
  }
  if (answer.status < 400) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return `answered ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 300)}`;
  }
  const { error, message } = (body ?? {}) as { error?: unknown; message?: unknown };
  if (typeof error !== 'string' || typeof message !== 'string') {
    return `answered ${answer.status} without the documented {error, message} shape: ${answer.body.slice(0, 300)}`;
  }
  // docs/API.md: `error` is a stable code to branch on (`invalid_query`), not a sentence.
  if (!/^[a-z][a-z0-9_]*$/.test(error)) return `answered ${answer.status} with "${error}" as error, not a code: ${answer.body.slice(0, 300)}`;
  return undefined;
}
