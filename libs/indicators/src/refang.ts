/**
 * Undoes the defanging that shared intelligence applies so a value cannot be clicked or
 * resolved by accident. Each rewrite, and why it is safe on an indicator value:
 *
 * - scheme: `hxxp`, `hxxps`, `hXXp`, `h**p`, `h__p`, `hxtp` and `fxp`/`fxps` at the start, before
 *   `:` (or a bracketed `[:]`, `[://]`), become `http`, `https`, `ftp`, `ftps`;
 * - a bracket, parenthesis or brace around a separator is dropped: `[.]`, `(.)`, `{.}`, `[:]`,
 *   `[://]`, `[/]`, `[@]` become `.`, `:`, `://`, `/`, `@`, with any spaces around them
 *   (`example [.] com`);
 * - the words `[dot]`, `(dot)`, `{dot}` (any case) become `.`, and `[at]`, `(at)`, `{at}` become
 *   `@`; a backslash-escaped dot `\.` becomes `.`.
 *
 * No real host name, address or e-mail address contains these spellings, so undoing them never
 * changes a value that was not defanged. A URL path could in theory contain `[.]` literally;
 * feeds defang whole values, so the whole value is refanged. Hashes are never passed here.
 */
export function refang(text: string): string {
  // Fast path: most feed values are not defanged at all.
  if (!/[[\](){}\\]|^h[x*_X][x*_tX]p|^fxp/i.test(text)) return text;
  return text
    .replace(/\\\./g, '.')
    .replace(/\s*[[({]\s*(:\/\/|[.:/@])\s*[\])}]\s*/g, '$1')
    .replace(/\s*[[({]\s*dot\s*[\])}]\s*/gi, '.')
    .replace(/\s*[[({]\s*at\s*[\])}]\s*/gi, '@')
    .replace(/^h(?:xx|XX|\*\*|__|xt)p(s?)(?=:)/i, 'http$1')
    .replace(/^fxp(s?)(?=:)/i, 'ftp$1');
}
