import { translate } from '../i18n';
import { withheldReasonText } from './withheld-reason';

describe('withheldReasonText', () => {
  const say = (reason: string, language: 'da' | 'en' = 'da') => {
    const { key, values } = withheldReasonText(reason);
    return translate(language, key, values);
  };

  it("says each of the API's reasons in Danish and English", () => {
    expect(say('not final before 2026-12-05')).toBe('tilbageholdt: ikke endelig før 2026-12-05');
    expect(say('fewer than 5 municipalities or withheld to protect such a cell')).toBe(
      'tilbageholdt: færre end 5 kommuner, eller for at beskytte en sådan celle',
    );
    expect(say('fewer than 5 municipalities or withheld to protect such a cell', 'en')).toBe(
      'withheld: fewer than 5 municipalities, or to protect such a cell',
    );
    expect(say('a day of this cell is withheld', 'en')).toBe('withheld: a day of this period is withheld');
  });

  it('shows a reason it does not know as the API gave it', () => {
    expect(say('a new rule', 'en')).toBe('withheld: a new rule');
  });
});
