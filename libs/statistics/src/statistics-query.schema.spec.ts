import { statisticsQuerySchema } from './statistics-query.schema';

const schema = statisticsQuerySchema(200);
const problems = (query: Record<string, string>) => {
  const result = schema.safeParse(query);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('statisticsQuerySchema', () => {
  it('defaults threshold, granularity and format', () => {
    expect(schema.parse({ from: '2026-03-01', to: '2026-03-31' })).toEqual({
      from: '2026-03-01', to: '2026-03-31', threshold: 200, granularity: 'day', format: 'json',
    });
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(problems({ from: '1/3/2026', to: '2026-03-31' })).toEqual(['from: must be a date YYYY-MM-DD']);
  });

  it('rejects a missing date', () => {
    expect(problems({ from: '2026-03-01' })).toEqual(['to: must be a date YYYY-MM-DD']);
  });

  it('rejects a period ending before it starts', () => {
    expect(problems({ from: '2026-03-02', to: '2026-03-01' })).toEqual(['to: must not be before from']);
  });

  it('rejects a period longer than 366 days', () => {
    expect(problems({ from: '2025-01-01', to: '2026-01-02' })).toEqual(['to: the period may span at most 366 days']);
  });

  it('rejects a threshold that is not a whole number', () => {
    expect(problems({ from: '2026-03-01', to: '2026-03-01', threshold: '2.5' })).toEqual(['threshold: must be a whole number']);
  });

  it('rejects an unknown granularity', () => {
    expect(problems({ from: '2026-03-01', to: '2026-03-01', granularity: 'hour' })).toEqual([
      'granularity: Invalid option: expected one of "day"|"week"|"month"|"period"',
    ]);
  });

  it('rejects an unknown parameter', () => {
    expect(problems({ from: '2026-03-01', to: '2026-03-01', member: '0751' })).toEqual([': Unrecognized key: "member"']);
  });
});
