import {
  type AddressScopePolicy,
  importCsvBlocklist,
  importMispEvent,
  importStixBundle,
  importThreatFox,
  type ImportResult,
  productionAddressScope,
  refuseNonGlobalAddresses,
} from '@soc/indicators';

export const indicatorFeedFormats = ['stix', 'misp', 'csv', 'threatfox'] as const;
export type IndicatorFeedFormat = (typeof indicatorFeedFormats)[number];

/** Which addresses a feed may bring into the shared set (docs/INDICATORS.md, reserved addresses). */
export interface FeedAddressRule {
  /** Which ranges are non-global; production's by default (documentation ranges reserved). */
  addressScope?: AddressScopePolicy;
  /** An admin's deliberate import of a private range (one member's internal threat): keep them. */
  allowReserved?: boolean;
}

/**
 * Reads a feed document of the given format into indicators: a STIX 2.1 bundle, a MISP event
 * (JSON, with or without the `Event` wrapper), an abuse.ch CSV blocklist or an abuse.ch ThreatFox
 * JSON export (or API answer). Problems with single
 * objects or lines come back in `errors`; a document that is not JSON at all throws. Entries for
 * non-global addresses are refused into `errors` unless `rule.allowReserved`.
 */
export function readIndicatorFeed(format: IndicatorFeedFormat, text: string, source?: string, rule: FeedAddressRule = {}): ImportResult {
  const result = readFeedDocument(format, text, source);
  // Loopback, private, CGNAT... entries would alert every member on its own internal traffic.
  return rule.allowReserved === true ? result : refuseNonGlobalAddresses(result, rule.addressScope ?? productionAddressScope);
}

function readFeedDocument(format: IndicatorFeedFormat, text: string, source?: string): ImportResult {
  const options = source === undefined ? {} : { source };
  switch (format) {
    case 'csv':
      return importCsvBlocklist(text, options);
    case 'stix':
      return importStixBundle(parseJson(text, 'STIX bundle'), options);
    case 'misp':
      return importMispEvent(parseJson(text, 'MISP event'), options);
    case 'threatfox':
      return importThreatFox(parseJson(text, 'ThreatFox export'), options);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`the ${what} is not JSON: ${(error as Error).message}`);
  }
}
