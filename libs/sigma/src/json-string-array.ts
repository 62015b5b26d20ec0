/**
 * `JSON.stringify` of an array of strings and nulls, built by concatenation when no value needs
 * escaping (the usual case: addresses, user names, host names). Multi-field correlation groups are
 * keyed by this once per match, and `JSON.stringify` of a small array cost more than the rest of
 * finding the group. The result is the same string for every input.
 */
export function jsonStringArray(values: readonly (string | null)[]): string {
  let json = '[';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) json += ',';
    if (value === null) json += 'null';
    else if (needsNoEscape(value)) json += `"${value}"`;
    else return JSON.stringify(values);
  }
  return `${json}]`;
}

/** No quote, backslash, control character or surrogate (JSON.stringify escapes lone ones). */
function needsNoEscape(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return false;
  }
  return true;
}
