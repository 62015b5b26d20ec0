import { statisticsQuerySchema } from './statistics-query.schema';

const problems = (query: Record<string, string>) => {
  const result = statisticsQuerySchema.safeParse(query);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('statisticsQuerySchema', () => {
  it('defaults granularity and format', () => {
    expect(statisticsQuerySchema.parse({ from: '2026-03-01', to: '2026-03-31' })).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      granularity: 'day',
      format: 'json',
    });
  });

  it('accepts whole weeks, months and a whole year', () => {
    expect(problems({ from: '2026-03-02', to: '2026-03-15', granularity: 'week' })).toEqual([]);
    expect(problems({ from: '2026-01-01', to: '2026-03-31', granularity: 'month' })).toEqual([]);
    expect(problems({ from: '2026-01-01', to: '2026-12-31', granularity: 'year' })).toEqual([]);
    expect(problems({ from: '2025-12-29', to: '2027-01-03', granularity: 'week' })).toEqual([]);
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

  it('rejects a period longer than 53 weeks', () => {
    expect(problems({ from: '2025-01-01', to: '2026-01-07' })).toEqual(['to: the period may span at most 371 days']);
  });

  it('refuses the threshold by name, whatever its value: it is configuration', () => {
    for (const threshold of ['5', '200', '']) {
      expect(problems({ from: '2026-03-01', to: '2026-03-01', threshold })).toEqual([
        'threshold: not a query parameter: the threshold is set by configuration (STATISTICS_THRESHOLD)',
      ]);
    }
  });

  it('refuses a free period, which could be subtracted from another', () => {
    expect(problems({ from: '2026-03-03', to: '2026-03-04', granularity: 'period' })).toEqual([
      'granularity: period is not offered: two free periods could be subtracted from each other; use day, week, month or year',
    ]);
  });

  it('rejects a week, month or year cut short at either end, naming the whole bucket', () => {
    expect(problems({ from: '2026-03-03', to: '2026-03-08', granularity: 'week' })).toEqual([
      'from: must be the first day of its week (Monday to Sunday) (2026-03-02): cells are whole weeks',
    ]);
    expect(problems({ from: '2026-03-01', to: '2026-03-30', granularity: 'month' })).toEqual([
      'to: must be the last day of its month (2026-03-31): cells are whole months',
    ]);
    expect(problems({ from: '2026-03-01', to: '2026-12-31', granularity: 'year' })).toEqual([
      'from: must be the first day of its year (2026-01-01): cells are whole years',
    ]);
  });

  it('rejects an unknown granularity', () => {
    expect(problems({ from: '2026-03-01', to: '2026-03-01', granularity: 'hour' })).toEqual([
      'granularity: Invalid option: expected one of "day"|"week"|"month"|"year"',
    ]);
  });

  it('rejects an unknown parameter', () => {
    expect(problems({ from: '2026-03-01', to: '2026-03-01', member: '0751' })).toEqual([': Unrecognized key: "member"']);
  });
});
