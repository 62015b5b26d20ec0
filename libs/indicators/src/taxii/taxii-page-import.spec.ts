import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importTaxiiObjects } from './taxii-page-import';

const examples = '/work/shared/data/threat-intel/stix21-oasis/cti-stix2-json-schemas/examples';
const objectsOf = (file: string): unknown[] => (JSON.parse(readFileSync(join(examples, file), 'utf8')) as { objects: unknown[] }).objects;

describe(importTaxiiObjects.name, () => {
  it('reads the indicators of a page as the STIX importer does, under the feed source', () => {
    const objects = objectsOf('threat-reports/apt1.json');
    const page = importTaxiiObjects(objects, { source: 'OASIS examples', defaultTlp: 'green' });
    // 12 indicator objects, two of them AND patterns that no single value can match.
    expect(page.errors.map((e) => e.reason)).toEqual(Array(2).fill("unsupported comparison operator 'AND': only OR of equality comparisons can be indexed"));
    expect(page).toMatchObject({ refusedInvalid: 2, refusedReserved: 0 });
    expect(page.indicators).toHaveLength(10);
    expect(page.indicators.every((i) => i.source === 'OASIS examples' && i.tlp === 'green')).toBe(true);
    expect(page.indicators.map((i) => i.value)).toContain('223.166.0.0/15');
  });

  it('refuses a reserved address with the range named, and counts it apart from unreadable objects', () => {
    const reserved = objectsOf('indicator-for-c2-ip-address.json'); // [ipv4-addr:value = '10.0.0.0']
    const unreadable = {
      type: 'indicator',
      id: 'indicator--00000000-0000-4000-8000-000000000001',
      pattern: '[x-custom:value = 1]',
      pattern_type: 'stix',
      valid_from: '2026-01-01T00:00:00Z',
    };
    const page = importTaxiiObjects([...reserved, unreadable], { source: 'feed' });
    expect(page.indicators).toEqual([]);
    expect(page.refusedReserved).toBe(1);
    expect(page.refusedInvalid).toBe(1);
    expect(page.errors.map((e) => e.reason)).toEqual([
      expect.stringContaining('unsupported'),
      expect.stringMatching(/^10\.0\.0\.0 is in the private range 10\.0\.0\.0\/8 .*a feed may not add it to the shared set/),
    ]);
  });

  it('keeps the strictest TLP marking of an object over the feed default', () => {
    const marked = {
      type: 'indicator',
      id: 'indicator--00000000-0000-4000-8000-000000000002',
      pattern: "[domain-name:value = 'evil.example']",
      pattern_type: 'stix',
      valid_from: '2026-01-01T00:00:00Z',
      object_marking_refs: ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed'], // TLP:RED
    };
    expect(importTaxiiObjects([marked], { source: 'feed', defaultTlp: 'clear' }).indicators[0]?.tlp).toBe('red');
  });
});
