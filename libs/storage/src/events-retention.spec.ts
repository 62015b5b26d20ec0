import { expiredEventIndices } from './events-retention';

const now = Date.parse('2026-12-03T10:00:00Z');

describe('expiredEventIndices', () => {
  const indices = [
    'soc-events-2026.12.03',
    'soc-events-2026.11.26', // 7 days before today: still kept with 7 days of retention
    'soc-events-2026.11.25', // 8 days before: expired
    'soc-events-2025.01.01',
    'soc-alerts',
    'soc-audit',
    'soc-eu-events-2020.01.01', // another deployment whose prefix starts with ours
    'soc-events-2026.02.30', // not a real day: not a name the product writes
    'soc-events-2026.11.01-restored',
    'xsoc-events-2020.01.01',
  ];

  it('chooses the daily events indices of this prefix whose UTC day is more than the retention before today, oldest first', () => {
    expect(expiredEventIndices(indices, 'soc', 7, now)).toEqual(['soc-events-2025.01.01', 'soc-events-2026.11.25']);
  });

  it('keeps everything when retention is 0 (off)', () => {
    expect(expiredEventIndices(indices, 'soc', 0, now)).toEqual([]);
  });

  it('takes the prefix literally, not as a pattern', () => {
    expect(expiredEventIndices(['s.c-events-2020.01.01', 'soc-events-2020.01.01'], 's.c', 30, now)).toEqual(['s.c-events-2020.01.01']);
  });

  it('counts in UTC days whatever the hour: yesterday is one day old just after midnight', () => {
    const justAfterMidnight = Date.parse('2026-12-03T00:00:01Z');
    expect(expiredEventIndices(['soc-events-2026.12.01', 'soc-events-2026.12.02'], 'soc', 1, justAfterMidnight)).toEqual(['soc-events-2026.12.01']);
  });
});
