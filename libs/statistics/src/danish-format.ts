/**
 * Numbers and dates as KL publishes them: Danish conventions (decimal comma, thousands point,
 * "24,5 %"). The e2e test formats the API's figures with these same functions and finds them in
 * the PDF's text, so the report and the API agree digit for digit.
 */
const formats = new Map<number, Intl.NumberFormat>();

/** `1.234,5`: at most `decimals` decimals, none when the value is whole. */
export function danishNumber(value: number, decimals = 1): string {
  let format = formats.get(decimals);
  if (!format) formats.set(decimals, (format = new Intl.NumberFormat('da-DK', { maximumFractionDigits: decimals, useGrouping: true })));
  // The minus sign as a hyphen, so text extracted from the PDF can be searched as typed.
  return format.format(value).replace('\u2212', '-');
}

/** A share 0–1 as `24,5 %` (the Danish style puts a space before the sign). */
export function danishPercent(share: number, decimals = 1): string {
  return `${danishNumber(share * 100, decimals)} %`;
}

/** A signed difference, `+1,5`, `-2` or `±0`, for comparisons with the previous period. */
export function danishChange(value: number, decimals = 1): string {
  const text = danishNumber(value, decimals);
  return text === '0' || text === '-0' ? '±0' : value > 0 ? `+${text}` : text;
}

const monthNames = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];

/** `2026-11` as `november 2026`. */
export function danishMonth(month: string): string {
  const [year, number] = month.split('-');
  return `${monthNames[Number(number) - 1]} ${year}`;
}

/** `2026-11-03` as `3. november 2026`. */
export function danishDate(day: string): string {
  const [year, month, date] = day.split('-');
  return `${Number(date)}. ${monthNames[Number(month) - 1]} ${year}`;
}
