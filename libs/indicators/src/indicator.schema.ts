import { z } from 'zod';
import { normaliseIndicatorValue } from './normalise';
import { indicatorTypes } from './indicator-type';
import { parseTlp, tlpLevels } from './tlp';

const tlpSchema = z.string().transform((text, ctx) => {
  const tlp = parseTlp(text);
  if (tlp === undefined) {
    ctx.addIssue({
      code: 'custom',
      input: text,
      message: `unknown TLP level '${text}': expected one of ${tlpLevels.join(', ')} (white is read as clear)`,
    });
    return z.NEVER;
  }
  return tlp;
});

// Accepts a Date or an ISO 8601 timestamp with offset, so indicators survive a JSON round trip
// (live updates to correlator replicas travel as JSON).
const timestampSchema = z.union([z.date(), z.iso.datetime({ offset: true }).transform((text) => new Date(text))], {
  error: 'expected an ISO 8601 timestamp with a UTC offset, or a valid Date',
});

const indicatorFieldsSchema = z.object({
  id: z.string().min(1),
  type: z.enum(indicatorTypes),
  value: z.string().min(1),
  source: z.string().min(1),
  confidence: z.number().int().min(0).max(100),
  tlp: tlpSchema,
  valid_from: timestampSchema,
  valid_until: timestampSchema.optional(),
  revoked: z.boolean().default(false),
  labels: z.array(z.string().min(1)).default([]),
  description: z.string().optional(),
  reference: z.string().optional(),
  /** The port an `ip:port` or `host:port` indicator names; matching ignores it (normalise.ts). */
  port: z.number().int().min(0).max(65535).optional(),
});

/**
 * One indicator of compromise. Parsing normalises `value` for its `type` (see normalise.ts), so
 * an `Indicator` always holds the canonical form the index and lookups agree on. An IPv4-mapped
 * IPv6 address becomes `type: 'ipv4'`; a port written in the value (`1.2.3.4:8080`) moves to
 * `port`.
 */
export const indicatorSchema = indicatorFieldsSchema.transform((fields, ctx) => {
  const normalised = normaliseIndicatorValue(fields.type, fields.value);
  if (!normalised.ok) {
    ctx.addIssue({ code: 'custom', path: ['value'], input: fields.value, message: normalised.reason });
    return z.NEVER;
  }
  if (fields.valid_until !== undefined && fields.valid_until.getTime() <= fields.valid_from.getTime()) {
    ctx.addIssue({
      code: 'custom',
      path: ['valid_until'],
      input: fields.valid_until,
      message: 'valid_until must be later than valid_from',
    });
    return z.NEVER;
  }
  if (normalised.port !== undefined && fields.port !== undefined && normalised.port !== fields.port) {
    ctx.addIssue({
      code: 'custom',
      path: ['port'],
      input: fields.port,
      message: `port ${fields.port} differs from the port ${normalised.port} written in the value`,
    });
    return z.NEVER;
  }
  const port = normalised.port ?? fields.port;
  const indicator = { ...fields, type: normalised.type, value: normalised.value };
  return port === undefined ? indicator : { ...indicator, port };
});

export type Indicator = z.output<typeof indicatorSchema>;
export type IndicatorInput = z.input<typeof indicatorSchema>;

export type IndicatorParseResult = { readonly ok: true; readonly indicator: Indicator } | { readonly ok: false; readonly reason: string };

/** Parses one indicator and folds every problem into one readable reason (`field: message; …`). */
export function parseIndicator(input: unknown): IndicatorParseResult {
  const parsed = indicatorSchema.safeParse(input);
  if (parsed.success) return { ok: true, indicator: parsed.data };
  const reason = parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
  return { ok: false, reason };
}
