import fc from 'fast-check';
import { anyInput, bodyInput, bound, fuzzSchema, mostly, queryText } from '../../../test/e2e/support/schema-fuzz';
import { indicatorTypes } from './indicator-type';
import { indicatorSchema, parseIndicator } from './indicator.schema';

// Property-based fuzzing (fast-check, FUZZ_SEED: docs/TESTING.md) of the indicator schema that every
// importer and the indicator API go through: only zod errors, bounds kept, values canonical.
const value = fc.oneof(
  queryText,
  fc.constantFrom(
    '203.0.113.7',
    '::ffff:203.0.113.7',
    '2001:DB8::1',
    '10.0.0.0/8',
    '10.0.0.1/8',
    'EXAMPLE.com.',
    'xn--bcher-kva.example',
    'bücher.example',
    'http://Example.com:80/a/../b?x=1#f',
    'hxxp://evil[.]com',
    'd41d8cd98f00b204e9800998ecf8427e',
    'D41D8CD98F00B204E9800998ECF8427E',
    'a@b.c',
    'a@@b',
    '.',
    '-.com',
  ),
);
const fields = {
  type: fc.constantFrom(...indicatorTypes, 'ip'),
  value,
  confidence: fc.oneof(fc.integer({ min: -1, max: 101 }), fc.double()),
  tlp: fc.constantFrom('clear', 'white', 'green', 'amber', 'amber+strict', 'red', 'TLP:RED', 'purple'),
  valid_from: fc.constantFrom('2026-11-29T00:00:00Z', '2026-11-29T00:00:00+01:00', 'yesterday'),
  valid_until: fc.constantFrom('2026-11-28T00:00:00Z', '2026-12-29T00:00:00Z'),
  labels: fc.array(queryText, { maxLength: 3 }),
  revoked: fc.boolean(),
};
const keys = ['id', 'type', 'value', 'source', 'confidence', 'tlp', 'valid_from', 'valid_until', 'revoked', 'labels', 'description', 'reference'];

describe('indicator schema under fuzzed input', () => {
  it('accepts only known types, confidence 0-100, a validity that ends after it starts, and a canonical value', () => {
    const inputs = bodyInput(keys, fields);
    const nearValid = fc.record(
      {
        id: mostly(fc.constant('ioc-1'), ''),
        source: mostly(fc.constant('feodo'), ''),
        type: mostly(fc.constantFrom(...indicatorTypes), 'ip'),
        value,
        confidence: mostly(fc.integer({ min: 0, max: 100 }), -1, 101, 1.5),
        tlp: fields.tlp,
        valid_from: mostly(fc.constant('2026-11-29T00:00:00+01:00'), 'yesterday'),
        valid_until: fields.valid_until,
        labels: fc.array(fc.string({ minLength: 1 }), { maxLength: 2 }),
        revoked: fc.boolean(),
      },
      { requiredKeys: ['id', 'type', 'value', 'source', 'confidence', 'tlp', 'valid_from'] },
    );
    fuzzSchema(indicatorSchema, fc.oneof(anyInput, inputs, nearValid, nearValid, nearValid), 500, (indicator) => {
      bound((indicatorTypes as readonly string[]).includes(indicator.type), 'type is unknown', indicator);
      bound(Number.isInteger(indicator.confidence) && indicator.confidence >= 0 && indicator.confidence <= 100, 'confidence is not 0-100', indicator);
      bound(!Number.isNaN(indicator.valid_from.getTime()), 'valid_from is not a time', indicator);
      bound(
        indicator.valid_until === undefined || indicator.valid_until.getTime() > indicator.valid_from.getTime(),
        'valid_until is not after valid_from',
        indicator,
      );
      // Canonical: reading the stored indicator again gives the same indicator (a JSON round trip, as replicas get it).
      const again = parseIndicator(JSON.parse(JSON.stringify(indicator)));
      bound(
        again.ok && again.indicator.value === indicator.value && again.indicator.type === indicator.type,
        'its value is not canonical (reading it again changes it)',
        indicator,
      );
    });
  });
});
