import type { ImportError } from '../import-result';
import type { Indicator } from '../indicator.schema';
import { refuseNonGlobalAddresses } from '../non-global-import-filter';
import { type AddressScopePolicy, productionAddressScope } from '../special-purpose-addresses';
import { importStixBundle } from '../stix-importer';
import type { Tlp } from '../tlp';

export interface TaxiiPageImportOptions {
  /** The feed's source name, given to every indicator. */
  readonly source: string;
  /** TLP of indicators without a TLP marking (the STIX importer's default otherwise: amber). */
  readonly defaultTlp?: Tlp;
  readonly addressScope?: AddressScopePolicy;
}

/** One page of a TAXII collection read into indicators, with what was refused and why. */
export interface TaxiiPageImport {
  readonly indicators: Indicator[];
  readonly errors: ImportError[];
  /** Entries refused for a reserved (non-global) address. */
  readonly refusedReserved: number;
  /** Objects the STIX importer could not read (bad pattern, unsupported path, invalid value…). */
  readonly refusedInvalid: number;
}

/**
 * The objects of one envelope, read exactly like an imported STIX bundle (`importStixBundle`)
 * and then through the same reserved-address refusal as every feed import
 * (`refuseNonGlobalAddresses`; never `allow_reserved`: a subscribed feed is not an admin's
 * deliberate choice). Objects that are no indicators pass silently, as in a bundle.
 */
export function importTaxiiObjects(objects: readonly unknown[], options: TaxiiPageImportOptions): TaxiiPageImport {
  const bundle = { type: 'bundle', id: 'bundle--taxii-envelope', objects };
  const read = importStixBundle(bundle, { source: options.source, ...(options.defaultTlp ? { defaultTlp: options.defaultTlp } : {}) });
  const filtered = refuseNonGlobalAddresses(read, options.addressScope ?? productionAddressScope);
  return {
    indicators: filtered.indicators,
    errors: filtered.errors,
    refusedReserved: filtered.errors.length - read.errors.length,
    refusedInvalid: read.errors.length,
  };
}
