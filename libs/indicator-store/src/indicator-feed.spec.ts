import { readFileSync } from 'node:fs';
import { readIndicatorFeed } from './indicator-feed';

const feodo = readFileSync('/work/shared/data/threat-intel/abusech-feodo/ipblocklist.csv', 'utf8');
const stix = readFileSync('/work/shared/data/threat-intel/stix21-oasis/cti-stix2-json-schemas/examples/indicator-for-c2-ip-address.json', 'utf8');

describe(readIndicatorFeed.name, () => {
  it('reads an abuse.ch CSV blocklist under the given source name', () => {
    const result = readIndicatorFeed('csv', feodo, 'feodo');
    expect(result.indicators).toHaveLength(28);
    expect(new Set(result.indicators.map((i) => i.source))).toEqual(new Set(['feodo']));
  });

  it('reads a STIX 2.1 bundle', () => {
    const result = readIndicatorFeed('stix', stix);
    expect(result.indicators.length).toBeGreaterThan(0);
  });

  it('rejects a STIX bundle that is not JSON', () => {
    expect(() => readIndicatorFeed('stix', 'not json')).toThrow(/^the STIX bundle is not JSON: /);
  });

  it('rejects a MISP event that is not JSON', () => {
    expect(() => readIndicatorFeed('misp', '{')).toThrow(/^the MISP event is not JSON: /);
  });
});
