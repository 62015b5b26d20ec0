import fc from 'fast-check';
import { anyInput, bound, fuzzSchema, queryInput } from '../../../test/e2e/support/schema-fuzz';
import { bucketEnd, bucketStart, granularities } from './calendar';
import { maxPeriodDays, statisticsQuerySchema } from './statistics-query.schema';

// Property-based fuzzing (fast-check, FUZZ_SEED: docs/TESTING.md): only zod errors, and an accepted
// query is a whole number of fixed cells within the bounded period (docs/STATISTICS.md).
const day = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const dayNumber = (text: string) => Date.parse(`${text}T00:00:00Z`) / 86_400_000;

describe('statistics query under fuzzed input', () => {
  it('accepts only real days, from not after to, whole cells, at most the maximum period, no threshold', () => {
    const keys = ['from', 'to', 'granularity', 'format', 'threshold'];
    // Valid-looking days too, so that accepted queries are common enough to hold to the bounds.
    const nearValid = fc.record(
      { from: day, to: day, granularity: fc.constantFrom(...granularities, 'period'), format: fc.constantFrom('json', 'csv', 'xml') },
      { requiredKeys: ['from', 'to'] },
    );
    fuzzSchema(statisticsQuerySchema, fc.oneof(anyInput, queryInput(keys), nearValid, nearValid), 500, (q, input) => {
      bound(Number.isFinite(dayNumber(q.from)) && Number.isFinite(dayNumber(q.to)), 'a day is not a real day', q);
      bound(
        new Date(`${q.from}T00:00:00Z`).toISOString().slice(0, 10) === q.from && new Date(`${q.to}T00:00:00Z`).toISOString().slice(0, 10) === q.to,
        'a day does not exist (e.g. 30 February)',
        q,
      );
      const span = dayNumber(q.to) - dayNumber(q.from) + 1;
      bound(span >= 1 && span <= maxPeriodDays, `the period is not 1-${maxPeriodDays} days`, q);
      bound((granularities as readonly string[]).includes(q.granularity), 'granularity is unknown', q);
      bound(q.format === 'json' || q.format === 'csv', 'format is unknown', q);
      bound(q.from === bucketStart(q.from, q.granularity) && q.to === bucketEnd(q.to, q.granularity), 'the period is not whole cells', q);
      bound(
        !('threshold' in q) && !(typeof input === 'object' && input !== null && Object.keys(input).includes('threshold')),
        'a threshold was taken from the query',
        q,
      );
    });
  });
});
