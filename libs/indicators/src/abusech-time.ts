/**
 * abuse.ch writes UTC as `YYYY-MM-DD HH:MM:SS` (CSV lists, ThreatFox's export) and sometimes
 * with a trailing ` UTC` (ThreatFox's API). Returns ISO text, or undefined if malformed.
 */
export function abuseChUtcTimestamp(text: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?: UTC)?$/.exec(text);
  if (match === null) return undefined;
  const iso = `${match[1]}T${match[2]}Z`;
  // Date.parse rolls 2024-02-30 over to March; a round trip catches impossible dates.
  const time = Date.parse(iso);
  return !Number.isNaN(time) && new Date(time).toISOString() === `${match[1]}T${match[2]}.000Z` ? iso : undefined;
}
