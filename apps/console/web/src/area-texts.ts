/**
 * One page area's texts in both languages, kept beside its page (e.g. `campaigns/texts.ts`) and
 * merged into the console's dictionary by i18n.ts. English must name every Danish key: the
 * compiler says which one is missing.
 */
export function areaTexts<const D extends Record<string, string>>(da: D, en: Record<keyof D, string>): { da: D; en: Record<keyof D, string> } {
  return { da, en };
}
