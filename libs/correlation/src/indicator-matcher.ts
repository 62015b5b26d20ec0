import type { SocEvent } from '@soc/contracts';
import type { Indicator, IndicatorIndex, LookupKind } from '@soc/indicators';

/** An event field that is looked up in the indicator index, and how. */
export interface IndicatorField {
  field: string;
  kind: LookupKind;
  read(event: SocEvent): unknown;
}


/** Events keep unknown ECS fields (e-mail among them): read those without a schema type. */
type Loose = Record<string, any>;

/**
 * The fields every event is checked against the indicator set for. Plain property reads (no
 * dotted-path walking), because this runs for every event of the firehose.
 */
export const indicatorFields: readonly IndicatorField[] = [
  { field: 'source.ip', kind: 'ip', read: (e) => e.source?.ip },
  { field: 'destination.ip', kind: 'ip', read: (e) => e.destination?.ip },
  { field: 'url.original', kind: 'url', read: (e) => e.url?.original },
  { field: 'url.full', kind: 'url', read: (e) => e.url?.full },
  { field: 'url.domain', kind: 'domain', read: (e) => e.url?.domain },
  { field: 'dns.question.name', kind: 'domain', read: (e) => e.dns?.question?.name },
  { field: 'destination.domain', kind: 'domain', read: (e) => e.destination?.domain },
  { field: 'source.domain', kind: 'domain', read: (e) => e.source?.domain },
  { field: 'file.hash.md5', kind: 'hash', read: (e) => e.file?.hash?.md5 },
  { field: 'file.hash.sha1', kind: 'hash', read: (e) => e.file?.hash?.sha1 },
  { field: 'file.hash.sha256', kind: 'hash', read: (e) => e.file?.hash?.sha256 },
  { field: 'email.from.address', kind: 'email', read: (e) => firstString((e as Loose).email?.from?.address) },
  { field: 'email.sender.address', kind: 'email', read: (e) => firstString((e as Loose).email?.sender?.address) },
  { field: 'email.reply_to.address', kind: 'email', read: (e) => firstString((e as Loose).email?.reply_to?.address) },
];

function firstString(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

export interface IndicatorHit {
  indicator: Indicator;
  field: string;
  value: string;
}

/**
 * Looks every indicator field of an event up at the event's time, appending live hits to `hits`
 * (reused across events: no allocation unless something matches). Returns how many hits a
 * warninglist held back. A URL and its own domain are both looked up: a domain indicator must fire
 * on a URL under it.
 */
export function matchEventIndicators(index: IndicatorIndex, event: SocEvent, time: number, hits: IndicatorHit[]): number {
  let suppressed = 0;
  for (let i = 0; i < indicatorFields.length; i++) {
    const spec = indicatorFields[i];
    const value = spec.read(event);
    if (typeof value !== 'string' || value === '') continue;
    const match = index.match(spec.kind, value, time);
    if (match.suppressed) suppressed += match.suppressed.indicators.length;
    for (const indicator of match.indicators) hits.push({ indicator, field: spec.field, value });
  }
  return suppressed;
}
