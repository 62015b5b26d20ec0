/** One HTTP answer as the suite judges it: status, raw text, JSON when it parses. */
export interface Answer {
  status: number;
  text: string;
  json?: unknown;
}

/** Sends one request; a JSON body is serialised, a string sent as is. */
export async function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; contentType?: string } = {},
): Promise<Answer> {
  const body = init.body === undefined ? undefined : typeof init.body === 'string' || Buffer.isBuffer(init.body) ? init.body : JSON.stringify(init.body);
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(body !== undefined ? { 'content-type': init.contentType ?? 'application/json' } : {}), ...init.headers },
    body: body as NonNullable<Parameters<typeof fetch>[1]>['body'],
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** Runs tasks with at most `limit` at a time (two cores: enough to overlap I/O, not to swamp the apps). */
export async function inPool<T>(tasks: Array<() => Promise<T>>, limit = 8): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * The documented error shape (docs/API.md): a JSON object with `error`, a code (`not_found`,
 * `invalid_query`; not Fastify's "Payload Too Large"), and a string `message`.
 */
export function isErrorShape(answer: Answer): boolean {
  const body = answer.json as Record<string, unknown> | undefined;
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    typeof body.error === 'string' &&
    /^[a-z][a-z0-9_]*$/.test(body.error) &&
    typeof body.message === 'string'
  );
}

/** The markers of `secrets` found in a body, after removing what the caller itself sent (echoed ids are no leak). */
export function leakedMarkers(text: string, secrets: readonly string[], sent: readonly string[] = []): string[] {
  let body = text;
  for (const value of sent) if (value) body = body.split(value).join('<sent>');
  return secrets.filter((secret) => new RegExp(`(^|[^0-9A-Za-z])${escapeRegExp(secret)}([^0-9A-Za-z]|$)`).test(body));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
