import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { isKnownTimeZone, logLineFormats } from '@soc/parsing';

export const memberKinds = ['municipality', 'region', 'other'] as const;

const cidr = z.string().refine((value) => {
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}, 'must be a CIDR such as 192.0.2.0/24 or 2001:db8::/32');

const timeZone = z.string().refine((value) => value.length > 0 && isKnownTimeZone(value), 'must be an IANA time zone such as Europe/Copenhagen or UTC');

/** The formats of raw lines (X-Log-Format's line formats); `ecs` and `windows-json` are JSON over HTTP. */
const syslogSenderFormat = z.enum(logLineFormats, {
  error: (issue) =>
    ['ecs', 'windows-json'].includes(String(issue.input))
      ? `${String(issue.input)} is a format of JSON records over HTTP; a syslog sender sends lines: one of ${logLineFormats.join(', ')}`
      : `must be one of ${logLineFormats.join(', ')}`,
});

/**
 * One syslog sender of a member and what it sends: known by its address range or by its TLS
 * client certificate (exactly one), with the format of its lines (as `X-Log-Format`), a dataset
 * for lines of programs the parsers do not know, and the zone of its offset-less timestamps.
 */
export const forwarderSchema = z
  .object({
    address: cidr.optional(),
    /** Subject CN or SHA-256 fingerprint (AB:CD:…), as in `forwarder_certificates`. */
    certificate: z.string().min(1).optional(),
    format: syslogSenderFormat.default('auto'),
    dataset: z
      .string()
      .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'must be <module>.<dataset> in lower case, such as fortinet.firewall')
      .optional(),
    time_zone: timeZone.optional(),
  })
  .strict()
  .superRefine((forwarder, context) => {
    if ((forwarder.address === undefined) === (forwarder.certificate === undefined)) {
      context.addIssue({ code: 'custom', message: 'give exactly one of address (a CIDR) and certificate (a CN or fingerprint)' });
    }
  });
export type Forwarder = z.infer<typeof forwarderSchema>;

/** A member of the shared unit: a municipality, a region or another public body. */
export const memberSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'must be letters, digits and -'),
  kind: z.enum(memberKinds),
  name: z.string().min(1),
  /** kommunekode of a municipality (4 digits), region code 1081–1085 of a region. */
  code: z.string().optional(),
  region_code: z.enum(['1081', '1082', '1083', '1084', '1085']).optional(),
  network_ranges: z.array(cidr).default([]),
  /** Where this member's syslog forwarders send from: a sender is identified by these, never by its payload. */
  forwarder_addresses: z.array(cidr).default([]),
  /** TLS client certificates of its forwarders: subject CN or SHA-256 fingerprint (AB:CD:…). */
  forwarder_certificates: z.array(z.string().min(1)).default([]),
  /** Its syslog senders with what each sends (`forwarder_addresses`/`_certificates` declare none). */
  forwarders: z.array(forwarderSchema).default([]),
  /** When true, its syslog is accepted only over TLS with one of those certificates. */
  forwarder_certificate_required: z.boolean().default(false),
  /**
   * IANA zone of its timestamps that carry no offset (RFC 3164, web-server error logs), on every
   * input; a sender's own `time_zone` wins. Unset: the collector's `SYSLOG_TIME_ZONE`.
   */
  time_zone: timeZone.optional(),
  /**
   * How far behind its group's newest event one of its events may reach the correlator and still
   * count in correlation windows, overriding CORRELATION_ALLOWED_LATENESS_* (e.g. a member shipping
   * log files hourly). Seconds.
   */
  allowed_lateness_seconds: z.number().int().positive().optional(),
  webhooks: z.array(z.object({ url: z.url(), secret_ref: z.string().optional() })).default([]),
  /** 1 (low) to 5 (critical infrastructure); feeds the alert risk score. */
  criticality: z.number().int().min(1).max(5).default(3),
  /** Overrides the collector's default per-member rate limit (INGEST_RATE_*). */
  ingest_rate: z.object({ events_per_second: z.number().int().positive(), burst_events: z.number().int().positive() }).optional(),
  sharing: z.object({ share_indicators: z.boolean().default(true) }).default({ share_indicators: true }),
});

export type Member = z.infer<typeof memberSchema>;

/** The members file: extra members, and settings (ranges, webhooks) for the built-in ones. */
export const membersFileSchema = z.object({
  members: z.array(memberSchema.partial({ kind: true, name: true }).extend({ id: z.string().min(1) })).default([]),
});
export type MembersFile = z.infer<typeof membersFileSchema>;
