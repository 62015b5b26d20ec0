import { importCsvBlocklist, importMispEvent, importStixBundle, type ImportResult } from '@soc/indicators';

export const indicatorFeedFormats = ['stix', 'misp', 'csv'] as const;
export type IndicatorFeedFormat = (typeof indicatorFeedFormats)[number];

/**
 * Reads a feed document of the given format into indicators: a STIX 2.1 bundle, a MISP event
 * (JSON, with or without the `Event` wrapper) or an abuse.ch CSV blocklist. Problems with single
 * objects or lines come back in `errors`; a document that is not JSON at all throws.
 */
export function readIndicatorFeed(format: IndicatorFeedFormat, text: string, source?: string): ImportResult {
  const options = source === undefined ? {} : { source };
  switch (format) {
    case 'csv':
      return importCsvBlocklist(text, options);
    case 'stix':
      return importStixBundle(parseJson(text, 'STIX bundle'), options);
    case 'misp':
      return importMispEvent(parseJson(text, 'MISP event'), options);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`the ${what} is not JSON: ${(error as Error).message}`);
  }
}
