import { z } from 'zod';

/**
 * The canonical event: the subset of the Elastic Common Schema (ECS) that parsers produce and
 * rules are written against. Unknown fields are kept (stored, not indexed) so that a forwarder
 * sending richer ECS loses nothing.
 */
const ip = z.union([z.ipv4(), z.ipv6()]);
const port = z.number().int().min(0).max(65535);
const isoTimestamp = z.iso.datetime({ offset: true });

const endpoint = z.looseObject({
  ip: ip.optional(),
  port: port.optional(),
  domain: z.string().min(1).optional(),
  address: z.string().min(1).optional(),
});

export const eventOutcomes = ['success', 'failure', 'unknown'] as const;

export const ecsFieldsSchema = z.looseObject({
  '@timestamp': isoTimestamp,
  event: z
    .looseObject({
      id: z.string().min(1).optional(),
      kind: z.string().optional(),
      category: z.array(z.string()).optional(),
      type: z.array(z.string()).optional(),
      action: z.string().optional(),
      outcome: z.enum(eventOutcomes).optional(),
      dataset: z.string().optional(),
      module: z.string().optional(),
      code: z.string().optional(),
      severity: z.number().optional(),
      original: z.string().optional(),
      ingested: isoTimestamp.optional(),
    })
    .optional(),
  host: z
    .looseObject({
      name: z.string().optional(),
      hostname: z.string().optional(),
      ip: z.array(ip).optional(),
    })
    .optional(),
  source: endpoint.optional(),
  destination: endpoint.optional(),
  user: z
    .looseObject({
      name: z.string().optional(),
      domain: z.string().optional(),
      id: z.string().optional(),
    })
    .optional(),
  url: z
    .looseObject({
      original: z.string().optional(),
      full: z.string().optional(),
      domain: z.string().optional(),
      path: z.string().optional(),
      query: z.string().optional(),
    })
    .optional(),
  dns: z.looseObject({ question: z.looseObject({ name: z.string(), type: z.string().optional() }) }).optional(),
  file: z
    .looseObject({
      name: z.string().optional(),
      path: z.string().optional(),
      hash: z
        .looseObject({
          md5: z
            .string()
            .regex(/^[a-fA-F0-9]{32}$/, 'md5 must be 32 hex characters')
            .optional(),
          sha1: z
            .string()
            .regex(/^[a-fA-F0-9]{40}$/, 'sha1 must be 40 hex characters')
            .optional(),
          sha256: z
            .string()
            .regex(/^[a-fA-F0-9]{64}$/, 'sha256 must be 64 hex characters')
            .optional(),
        })
        .optional(),
    })
    .optional(),
  process: z
    .looseObject({
      name: z.string().optional(),
      pid: z.number().int().optional(),
      executable: z.string().optional(),
      command_line: z.string().optional(),
      parent: z.looseObject({ name: z.string().optional(), command_line: z.string().optional() }).optional(),
    })
    .optional(),
  message: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  tags: z.array(z.string()).optional(),
});

/**
 * What a forwarder may send, once put into its canonical shape (dotted keys expanded, see
 * libs/ingest `canonicaliseEvent`). `@timestamp` defaults to arrival time; the reserved fields
 * (`reservedEventFields`: `organization`, `event.id`, `event.ingested`, `soc`) are replaced by
 * the collector whatever the input carried there.
 */
export const inboundEventSchema = ecsFieldsSchema.extend({ '@timestamp': isoTimestamp.optional() });

/** An event after the collector accepted it: it has an id, a time and the member that sent it. */
export const socEventSchema = ecsFieldsSchema.extend({
  event: ecsFieldsSchema.shape.event.unwrap().extend({ id: z.string().min(1), ingested: isoTimestamp }),
  organization: z.looseObject({ id: z.string().min(1) }),
  /** The product's own namespace, set only by the collector (`reservedEventFields.product`). */
  soc: z.looseObject({ claimed_timestamp: z.string().optional() }).optional(),
});

export type InboundEvent = z.infer<typeof inboundEventSchema>;
export type SocEvent = z.infer<typeof socEventSchema>;
