import type { InboundEvent } from '@soc/contracts';

/** Why an input could not be turned into an event. Parsers return this; they never throw. */
export interface ParseFailure {
  readonly ok: false;
  readonly reason: string;
}

export type EventParseResult = { readonly ok: true; readonly event: InboundEvent } | ParseFailure;

export function parseFailure(reason: string): ParseFailure {
  return { ok: false, reason };
}

export function isParseFailure(value: unknown): value is ParseFailure {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}

/**
 * Wraps a document built by this library's parsers. They construct ECS field by field to the
 * `inboundEventSchema` shape (the unit and fuzz tests validate every produced event against the
 * schema), so the cast here is the single place that relies on it.
 */
export function eventResult(document: { [key: string]: unknown }): EventParseResult {
  return { ok: true, event: document as InboundEvent };
}
