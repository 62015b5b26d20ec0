import { dictionaries, translate } from './i18n';

describe('translate', () => {
  it('answers Danish by default wording and English when asked, with values filled in', () => {
    expect(translate('da', 'queue.count', { shown: 3, total: 10 })).toBe('3 af 10 alarmer');
    expect(translate('en', 'queue.count', { shown: 3, total: 10 })).toBe('3 of 10 alerts');
  });

  it('leaves a placeholder it has no value for, so a missing value shows instead of vanishing', () => {
    expect(translate('en', 'detail.title')).toBe('Alert {id}');
  });

  it('has, in English, the same placeholders as in Danish for every text', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort().join();
    const differing = Object.keys(dictionaries.da).filter(
      (key) => placeholders(dictionaries.da[key as keyof typeof dictionaries.da]) !== placeholders(dictionaries.en[key as keyof typeof dictionaries.da]),
    );
    expect(differing).toEqual([]);
  });
});
