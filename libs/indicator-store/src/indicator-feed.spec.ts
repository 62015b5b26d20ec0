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

  it("reads a STIX 2.1 bundle, refusing the private address of OASIS's example unless an admin allows it", () => {
    const refused = readIndicatorFeed('stix', stix);
    expect(refused.indicators).toEqual([]);
    expect(refused.errors.map((e) => e.reason)).toEqual([expect.stringMatching(/^10\.0\.0\.0 is in the private range 10\.0\.0\.0\/8 \(RFC 1918\)/)]);
    const allowed = readIndicatorFeed('stix', stix, undefined, { allowReserved: true });
    expect(allowed.indicators.map((i) => i.value)).toEqual(['10.0.0.0']);
  });

  it('refuses documentation addresses in production and keeps them where the deployment treats them as public', () => {
    const csv =
      '"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"\n"2026-01-01 00:00:00","203.0.113.66","443","online","2026-11-27","Bot"';
    expect(readIndicatorFeed('csv', csv, 'feed').indicators).toEqual([]);
    expect(readIndicatorFeed('csv', csv, 'feed', { addressScope: { documentationIsPublic: true } }).indicators).toHaveLength(1);
  });

  it('reads a ThreatFox JSON export (sample written from the documented shape; its addresses are documentation ranges)', () => {
    const sample = readFileSync(require.resolve('../../indicators/src/threatfox-export.sample.json'), 'utf8');
    const production = readIndicatorFeed('threatfox', sample);
    expect(production.indicators.map((i) => i.id)).toEqual(['threatfox:1250103', 'threatfox:1250104', 'threatfox:1250105', 'threatfox:1250106']);
    expect(production.errors).toHaveLength(2);
    const kept = readIndicatorFeed('threatfox', sample, 'tf', { addressScope: { documentationIsPublic: true } });
    expect(kept.indicators.map((i) => [i.source, i.value, i.port])[0]).toEqual(['tf', '192.0.2.77', 443]);
    expect(kept.indicators).toHaveLength(6);
    expect(() => readIndicatorFeed('threatfox', '[')).toThrow(/^the ThreatFox export is not JSON: /);
  });

  it('rejects a STIX bundle that is not JSON', () => {
    expect(() => readIndicatorFeed('stix', 'not json')).toThrow(/^the STIX bundle is not JSON: /);
  });

  it('rejects a MISP event that is not JSON', () => {
    expect(() => readIndicatorFeed('misp', '{')).toThrow(/^the MISP event is not JSON: /);
  });
});
