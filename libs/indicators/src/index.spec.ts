import * as indicators from '@soc/indicators';

describe('@soc/indicators', () => {
  it('exposes the public API, and none of the internal index structures', () => {
    expect(Object.keys(indicators).sort()).toEqual(
      [
        'IndicatorIndex',
        'NO_MATCH',
        'Warninglist',
        'formatImportError',
        'hashHexLength',
        'importCsvBlocklist',
        'importMispEvent',
        'importStixBundle',
        'importThreatFox',
        'ipIndicatorType',
        'refang',
        'indicatorSchema',
        'indicatorTypes',
        'normaliseCidr',
        'normaliseDomain',
        'normaliseEmail',
        'normaliseHash',
        'normaliseIndicatorValue',
        'normaliseIp',
        'normaliseUrl',
        'parseIndicator',
        'parseTlp',
        'stricterTlp',
        'tlpLevels',
        'specialPurposeRanges',
        'specialPurposeRangeOf',
        'specialPurposeRangeOverlapping',
        'isGloballyRoutable',
        'describeSpecialPurpose',
        'productionAddressScope',
        'nonGlobalRangeOfIndicator',
        'refuseNonGlobalAddresses',
      ].sort(),
    );
  });
});
