// Public API of @soc/indicators. Import from here only; internal index structures are not part
// of it and may change.
export { indicatorTypes, hashHexLength, type IndicatorType, type HashType } from './indicator-type';
export { tlpLevels, parseTlp, stricterTlp, type Tlp } from './tlp';
export { indicatorSchema, parseIndicator, type Indicator, type IndicatorInput, type IndicatorParseResult } from './indicator.schema';
export {
  normaliseIp,
  normaliseCidr,
  normaliseDomain,
  normaliseUrl,
  normaliseHash,
  normaliseEmail,
  normaliseIndicatorValue,
  ipIndicatorType,
  type NormaliseResult,
} from './normalise';
export {
  IndicatorIndex,
  NO_MATCH,
  type IndicatorMatch,
  type IndicatorIndexOptions,
  type LookupKind,
  type SourceReplacement,
  type UpsertOutcome,
} from './indicator-index';
export { Warninglist, type WarninglistEntry } from './warninglist';
export { formatImportError, type ImportError, type ImportResult } from './import-result';
export { importStixBundle, type StixImportOptions } from './stix-importer';
export { importMispEvent, type MispImportOptions } from './misp-importer';
export { importCsvBlocklist, type CsvBlocklistOptions } from './csv-blocklist-importer';
export { importThreatFox, type ThreatFoxImportOptions } from './threatfox-importer';
export { refang } from './refang';
export {
  specialPurposeRanges,
  specialPurposeRangeOf,
  specialPurposeRangeOverlapping,
  isGloballyRoutable,
  describeSpecialPurpose,
  productionAddressScope,
  type AddressScopePolicy,
  type SpecialPurposeKind,
  type SpecialPurposeRange,
} from './special-purpose-addresses';
export { nonGlobalRangeOfIndicator, refuseNonGlobalAddresses } from './non-global-import-filter';
export { taxiiMediaType, taxiiContentTypeProblem } from './taxii/taxii-media-type';
export { parseTaxiiEnvelope, taxiiErrorReason, type TaxiiEnvelope, type TaxiiEnvelopeParse } from './taxii/taxii-envelope';
export { taxiiCollectionUrl, taxiiObjectsUrl, nextTaxiiPage, type TaxiiObjectsQuery, type TaxiiNextPage } from './taxii/taxii-objects-request';
export { importTaxiiObjects, type TaxiiPageImport, type TaxiiPageImportOptions } from './taxii/taxii-page-import';
export { parseTaxiiFeedsFile, taxiiAuthHeaders, taxiiSecretPrefix, type TaxiiAuth, type TaxiiFeed, type TaxiiFeedsParse } from './taxii/taxii-feeds-file';
