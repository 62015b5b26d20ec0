export type CsvLineParse = { readonly ok: true; readonly fields: string[] } | { readonly ok: false; readonly reason: string };

const QUOTE = 34;
const COMMA = 44;

/**
 * Splits one CSV record (RFC 4180 quoting: a field in double quotes may hold commas, and `""`
 * inside it is one quote). A quote inside an unquoted field is kept as a character, as feeds
 * that do not quote URLs produce them. Records spanning lines are not supported: blocklists
 * never have them, and refusing keeps line numbers in errors exact.
 */
export function parseCsvLine(line: string): CsvLineParse {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === QUOTE) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const close = line.indexOf('"', j);
        if (close < 0) return { ok: false, reason: `unterminated quoted field starting at column ${i + 1}` };
        value += line.slice(j, close);
        if (line.charCodeAt(close + 1) === QUOTE) {
          value += '"';
          j = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      fields.push(value);
      if (i === line.length) return { ok: true, fields };
      if (line.charCodeAt(i) !== COMMA) {
        return { ok: false, reason: `unexpected '${line[i]}' after closing quote at column ${i + 1}` };
      }
      i++;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        fields.push(line.slice(i));
        return { ok: true, fields };
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}
