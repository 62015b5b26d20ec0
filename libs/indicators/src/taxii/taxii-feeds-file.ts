import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseTlp, type Tlp } from '../tlp';

/** Secrets a feeds file may name: only these variables are ever sent to a TAXII server. */
export const taxiiSecretPrefix = 'TAXII_SECRET_';

/** How a feed authenticates; the secret itself, resolved from the environment. */
export type TaxiiAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'api_key'; readonly header: string; readonly key: string };

/** One subscribed collection, validated, its credentials resolved. */
export interface TaxiiFeed {
  readonly id: string;
  readonly apiRoot: string;
  readonly collectionId: string;
  readonly source: string;
  readonly intervalMs: number;
  /** Longest wait between retries of a failing feed (never shorter than the interval). */
  readonly maxBackoffMs: number;
  readonly defaultTlp?: Tlp;
  readonly pageSize?: number;
  readonly matchTypes?: readonly string[];
  /** Where the first pull starts when no cursor is stored; default: the whole collection. */
  readonly initialAddedAfter?: string;
  readonly auth: TaxiiAuth;
}

const durationUnits = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const duration = z
  .string()
  .regex(/^[1-9]\d*[smhd]$/, "must be a duration such as '30s', '15m', '1h' or '1d'")
  .transform((text) => Number(text.slice(0, -1)) * durationUnits[text.slice(-1) as keyof typeof durationUnits]);

const httpUrl = z
  .string()
  .refine((value) => {
    try {
      const { protocol } = new URL(value);
      return protocol === 'https:' || protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL (the API root, e.g. https://taxii.example/api1/)')
  // The URL is shown in the status, the logs and error reasons: it must not carry a secret.
  .refine((value) => !/^https?:\/\/[^/?#]*@/i.test(value), 'must not carry credentials (user:password@): put them in auth');

const secretName = z
  .string()
  .regex(
    new RegExp(`^${taxiiSecretPrefix}[A-Z0-9_]+$`),
    `must name an environment variable starting with ${taxiiSecretPrefix} (other variables are never sent to a feed)`,
  );

// Refused with a message of its own: a pasted secret must not pass as an unknown key.
const noLiteralSecret = (field: string) =>
  z.unknown().refine((v) => v === undefined, `secrets are never written in the feeds file: name an environment variable in ${field}_env`);

const authSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({
    type: z.literal('basic'),
    username: z.string().min(1),
    password_env: secretName,
    password: noLiteralSecret('password').optional(),
  }),
  z.strictObject({ type: z.literal('bearer'), token_env: secretName, token: noLiteralSecret('token').optional() }),
  z.strictObject({
    type: z.literal('api_key'),
    header: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name'),
    key_env: secretName,
    key: noLiteralSecret('key').optional(),
  }),
]);

const feedSchema = z.strictObject({
  // Part of Redis keys and metric labels.
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1-63 lowercase letters, digits, - or _, starting with a letter or digit'),
  api_root: httpUrl,
  collection_id: z.string().min(1).max(200),
  source: z.string().min(1).max(200),
  interval: duration,
  max_backoff: duration.default(6 * 3_600_000),
  default_tlp: z
    .string()
    .transform(
      (text, ctx) =>
        parseTlp(text) ?? (ctx.addIssue({ code: 'custom', message: `'${text}' is no TLP level (clear, green, amber, amber+strict, red)` }), z.NEVER),
    )
    .optional(),
  page_size: z.number().int().min(1).max(10_000).optional(),
  match_types: z
    .array(z.string().regex(/^[a-z0-9-]+$/, 'must be a STIX object type'))
    .min(1)
    .optional(),
  initial_added_after: z.iso.datetime({ offset: true }).optional(),
  auth: authSchema.default({ type: 'none' }),
});

const feedsFileSchema = z.strictObject({ feeds: z.array(feedSchema) });

export type TaxiiFeedsParse = { ok: true; feeds: TaxiiFeed[] } | { ok: false; problems: string[] };

/**
 * Reads a feeds file (YAML or JSON text) and resolves each feed's credentials from `secrets`
 * (the `TAXII_SECRET_*` environment variables). Lists every problem at once, each naming its
 * field (`feeds[1].auth.password_env: TAXII_SECRET_X is not set`).
 */
export function parseTaxiiFeedsFile(text: string, secrets: Readonly<Record<string, string>>): TaxiiFeedsParse {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    return { ok: false, problems: [`not YAML or JSON: ${(error as Error).message}`] };
  }
  const parsed = feedsFileSchema.safeParse(document ?? {});
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`) };

  const problems: string[] = [];
  const firstIndex = new Map<string, number>();
  const feeds = parsed.data.feeds.map((feed, index): TaxiiFeed => {
    const seen = firstIndex.get(feed.id);
    if (seen !== undefined) problems.push(`feeds[${index}].id: '${feed.id}' is used by feeds[${seen}] too`);
    else firstIndex.set(feed.id, index);
    const secret = (field: string, name: string): string => {
      const value = secrets[name];
      if (value === undefined || value === '') problems.push(`feeds[${index}].auth.${field}: ${name} is not set`);
      return value ?? '';
    };
    const { auth } = feed;
    const resolved: TaxiiAuth =
      auth.type === 'basic'
        ? { kind: 'basic', username: auth.username, password: secret('password_env', auth.password_env) }
        : auth.type === 'bearer'
          ? { kind: 'bearer', token: secret('token_env', auth.token_env) }
          : auth.type === 'api_key'
            ? { kind: 'api_key', header: auth.header, key: secret('key_env', auth.key_env) }
            : { kind: 'none' };
    return {
      id: feed.id,
      apiRoot: feed.api_root,
      collectionId: feed.collection_id,
      source: feed.source,
      intervalMs: feed.interval,
      maxBackoffMs: Math.max(feed.max_backoff, feed.interval),
      ...(feed.default_tlp !== undefined ? { defaultTlp: feed.default_tlp } : {}),
      ...(feed.page_size !== undefined ? { pageSize: feed.page_size } : {}),
      ...(feed.match_types !== undefined ? { matchTypes: feed.match_types } : {}),
      ...(feed.initial_added_after !== undefined ? { initialAddedAfter: feed.initial_added_after } : {}),
      auth: resolved,
    };
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, feeds };
}

/** The request headers of a feed's credentials (never logged, never stored). */
export function taxiiAuthHeaders(auth: TaxiiAuth): Record<string, string> {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}` };
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
    case 'api_key':
      return { [auth.header.toLowerCase()]: auth.key };
  }
}

// `feeds.1.auth.password_env` → `feeds[1].auth.password_env`
function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '$';
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}
