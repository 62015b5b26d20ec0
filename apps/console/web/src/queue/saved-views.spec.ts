import { openFilters } from './queue-order';
import { maxSavedViews, parseSavedViews, withSavedView } from './saved-views';

describe('parseSavedViews', () => {
  it('reads stored views and leaves out what is not one', () => {
    const stored = JSON.stringify([
      { name: 'Kritiske', filters: { ...openFilters, severity: 'critical' } },
      { name: 'Bad status', filters: { ...openFilters, status: 'closed' } },
      { name: '', filters: openFilters },
      'nonsense',
    ]);
    expect(parseSavedViews(stored)).toEqual([{ name: 'Kritiske', filters: { ...openFilters, severity: 'critical' } }]);
    expect(parseSavedViews('{not json')).toEqual([]);
    expect(parseSavedViews(null)).toEqual([]);
  });
});

describe('withSavedView', () => {
  it('puts the new view first, replaces one of the same name, and keeps at most the limit', () => {
    const one = { name: 'A', filters: openFilters };
    const views = withSavedView([one, { name: 'B', filters: openFilters }], { name: ' A ', filters: { ...openFilters, member: '0751' } });
    expect(views).toEqual([
      { name: 'A', filters: { ...openFilters, member: '0751' } },
      { name: 'B', filters: openFilters },
    ]);
    let many = views;
    for (let i = 0; i < 30; i++) many = withSavedView(many, { name: `v${i}`, filters: openFilters });
    expect(many).toHaveLength(maxSavedViews);
    expect(many[0]!.name).toBe('v29');
  });
});
