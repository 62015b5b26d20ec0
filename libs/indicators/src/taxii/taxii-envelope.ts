import { z } from 'zod';

/**
 * A TAXII 2.1 envelope, the answer of `GET {api-root}/collections/{id}/objects/`: one page of
 * STIX objects, `more` when the server holds more, and `next` (opaque) to ask for them. Every
 * property is optional: an empty collection answers `{}`.
 */
const envelopeSchema = z.looseObject({
  more: z.boolean().optional(),
  next: z.string().min(1).optional(),
  objects: z.array(z.unknown()).optional(),
});

export interface TaxiiEnvelope {
  readonly more: boolean;
  readonly next?: string;
  readonly objects: readonly unknown[];
}

export type TaxiiEnvelopeParse = { ok: true; envelope: TaxiiEnvelope } | { ok: false; reason: string };

/** Reads an envelope from the answer's text, naming the property that is wrong. */
export function parseTaxiiEnvelope(text: string): TaxiiEnvelopeParse {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `the envelope is not JSON: ${(error as Error).message}` };
  }
  const parsed = envelopeSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '$';
    return { ok: false, reason: `not a TAXII 2.1 envelope: ${where}: ${issue.message}` };
  }
  const { more, next, objects } = parsed.data;
  return { ok: true, envelope: { more: more ?? false, next, objects: objects ?? [] } };
}

const errorMessageSchema = z.looseObject({
  title: z.string().optional(),
  description: z.string().optional(),
  error_id: z.string().optional(),
});

/**
 * Why a TAXII request failed, from the HTTP status and the body: a TAXII error message
 * (`{title, description, …}`) when the server sent one, otherwise the status alone. Long bodies
 * are not quoted: the reason is stored in the feed status and logged.
 */
export function taxiiErrorReason(status: number, statusText: string, body: string): string {
  const head = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  const kind = status === 401 ? 'authentication failed' : status === 403 ? 'access denied' : status === 404 ? 'not found' : undefined;
  let detail: string | undefined;
  try {
    const parsed = errorMessageSchema.safeParse(JSON.parse(body));
    if (parsed.success) detail = [parsed.data.title, parsed.data.description].filter(Boolean).join(': ') || undefined;
  } catch {
    // Not a TAXII error message (an HTML error page from a proxy, say): the status says enough.
  }
  return [kind, head, detail].filter(Boolean).join(' · ');
}
