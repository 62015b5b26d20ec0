/**
 * Offers exchanged by `open` and its `rsp` (librelp's doc/relp.md, "OFFERS"):
 *
 *   OFFER = LF FEATURENAME ["=" VALUE *("," VALUE)]
 *
 * in practice one offer per line, e.g. `relp_version=0\nrelp_software=librelp,1.11.0,…\ncommands=syslog`.
 */
export type RelpOffers = ReadonlyMap<string, readonly string[]>;

const maxFeatureName = 32;
const maxValue = 255;

export type OffersResult = { ok: true; offers: RelpOffers } | { ok: false; reason: string };

export function parseRelpOffers(data: Buffer): OffersResult {
  const offers = new Map<string, string[]>();
  for (const line of data.toString('utf8').split('\n')) {
    if (line.length === 0) continue;
    const equals = line.indexOf('=');
    const name = equals < 0 ? line : line.slice(0, equals);
    if (name.length === 0 || name.length > maxFeatureName)
      return { ok: false, reason: `offer name must be 1 to ${maxFeatureName} octets: "${name.slice(0, 40)}"` };
    const values = equals < 0 ? [] : line.slice(equals + 1).split(',');
    const long = values.find((value) => value.length > maxValue);
    if (long !== undefined) return { ok: false, reason: `offer ${name} has a value longer than ${maxValue} octets` };
    offers.set(name, values);
  }
  return { ok: true, offers };
}

export function formatRelpOffers(offers: ReadonlyArray<readonly [string, readonly string[]]>): string {
  return offers.map(([name, values]) => (values.length === 0 ? name : `${name}=${values.join(',')}`)).join('\n');
}
