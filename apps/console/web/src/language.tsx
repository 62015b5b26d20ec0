import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { isLanguage, locales, translate, type Language, type TextKey } from './i18n';

/** Where the chosen language is kept in the browser (nothing else of the console is stored there). */
export const languageStorageKey = 'soc-console.language';

interface LanguageContextValue {
  language: Language;
  setLanguage(language: Language): void;
  t(key: TextKey, values?: Record<string, string | number>): string;
  /** A time as the language writes it. */
  time(iso: string): string;
}

const LanguageContext = createContext<LanguageContextValue | null>(null);

function storedLanguage(): Language {
  try {
    const stored = localStorage.getItem(languageStorageKey);
    return isLanguage(stored) ? stored : 'da';
  } catch {
    return 'da';
  }
}

/** Danish unless the person chose English in this browser; the choice is kept and set as the page's `lang`. */
export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(storedLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(languageStorageKey, next);
    } catch {
      // Storage refused (private mode): the choice lasts for this page only.
    }
  }, []);
  const value = useMemo<LanguageContextValue>(() => {
    const format = new Intl.DateTimeFormat(locales[language], { dateStyle: 'short', timeStyle: 'medium' });
    return {
      language,
      setLanguage,
      t: (key, values) => translate(language, key, values),
      time: (iso) => (Number.isNaN(Date.parse(iso)) ? iso : format.format(new Date(iso))),
    };
  }, [language, setLanguage]);
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export function useLanguage(): LanguageContextValue {
  const value = useContext(LanguageContext);
  if (!value) throw new Error('useLanguage outside LanguageProvider');
  return value;
}
