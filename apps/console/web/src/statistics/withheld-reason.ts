import type { TextKey } from '../i18n';

/**
 * Why the statistics API withheld a cell, as a text of the console: the API states its reason in
 * English (docs/STATISTICS.md, "Privacy"), the page says it in the reader's language. A reason the
 * console does not know is shown as the API gave it.
 */
export function withheldReasonText(reason: string): { key: TextKey; values: Record<string, string> } {
  const notFinal = /^not final before (\d{4}-\d{2}-\d{2})$/.exec(reason);
  if (notFinal) return { key: 'statistics.reason.notFinal', values: { day: notFinal[1]! } };
  const small = /^fewer than (\d+) municipalities/.exec(reason);
  if (small) return { key: 'statistics.reason.small', values: { min: small[1]! } };
  if (reason === 'a day of this cell is withheld') return { key: 'statistics.reason.withheldDay', values: {} };
  return { key: 'statistics.reason.other', values: { reason } };
}
