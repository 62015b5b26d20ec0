import type { SocEvent } from '@soc/contracts';
import type { Indicator, IndicatorIndex, LookupKind } from '@soc/indicators';

/** An event field that is looked up in the indicator index, and how. */
export interface IndicatorField {
  field: string;
  kind: LookupKind;
  read(event: SocEvent): unknown;
}

/** Events keep ECS fields their schema does not name, e-mail among them: its shape as matching reads it. */
interface EmailFields {
  email?: { from?: { address?: unknown }; sender?: { address?: unknown }; reply_to?: { address?: unknown } } | null;
}

/** The fields every event is checked against the indicator set for (documentation and tests; `matchEventIndicators` reads the same). */
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
  { field: 'email.from.address', kind: 'email', read: (e) => firstString((e as EmailFields).email?.from?.address) },
  { field: 'email.sender.address', kind: 'email', read: (e) => firstString((e as EmailFields).email?.sender?.address) },
  { field: 'email.reply_to.address', kind: 'email', read: (e) => firstString((e as EmailFields).email?.reply_to?.address) },
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
 * on a URL under it. The fields are read object by object rather than through `indicatorFields`'
 * readers: this runs for every event, and most events have a source and nothing else.
 */
export function matchEventIndicators(index: IndicatorIndex, event: SocEvent, time: number, hits: IndicatorHit[]): number {
  const lookup = new Lookup(index, time, hits);
  const { source, destination, url, dns, file } = event;
  if (source !== undefined) {
    lookup.run('source.ip', 'ip', source.ip);
    lookup.run('source.domain', 'domain', source.domain);
  }
  if (destination !== undefined) {
    lookup.run('destination.ip', 'ip', destination.ip);
    lookup.run('destination.domain', 'domain', destination.domain);
  }
  if (url !== undefined) {
    lookup.run('url.original', 'url', url.original);
    lookup.run('url.full', 'url', url.full);
    lookup.run('url.domain', 'domain', url.domain);
  }
  if (dns !== undefined) lookup.run('dns.question.name', 'domain', dns.question?.name);
  const hash = file?.hash;
  if (hash !== undefined) {
    lookup.run('file.hash.md5', 'hash', hash.md5);
    lookup.run('file.hash.sha1', 'hash', hash.sha1);
    lookup.run('file.hash.sha256', 'hash', hash.sha256);
  }
  const email = (event as EmailFields).email;
  if (email !== undefined && email !== null) {
    lookup.run('email.from.address', 'email', firstString(email.from?.address));
    lookup.run('email.sender.address', 'email', firstString(email.sender?.address));
    lookup.run('email.reply_to.address', 'email', firstString(email.reply_to?.address));
  }
  return lookup.suppressed;
}

class Lookup {
  suppressed = 0;

  constructor(
    private readonly index: IndicatorIndex,
    private readonly time: number,
    private readonly hits: IndicatorHit[],
  ) {}

  run(field: string, kind: LookupKind, value: unknown): void {
    if (typeof value !== 'string' || value === '') return;
    const match = this.index.match(kind, value, this.time);
    if (match.suppressed) this.suppressed += match.suppressed.indicators.length;
    const { indicators } = match;
    // Indexed: a for-of allocates an iterator per lookup, and this runs for every event field.
    for (let i = 0; i < indicators.length; i++) this.hits.push({ indicator: indicators[i], field, value });
  }
}
