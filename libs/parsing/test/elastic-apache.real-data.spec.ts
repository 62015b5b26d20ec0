import type { InboundEvent } from '@soc/contracts';
import { parseAccessLogLine } from '@soc/parsing';
import { readSharedLines, schemaIssues } from './shared-data';

/** A real Apache combined access log (10,000 lines): parsed completely, counts cross-checked. */

const lines = readSharedLines('elastic-examples', 'apache', 'apache_logs');
const results = lines.map((line) => parseAccessLogLine(line, { server: 'apache' }));
const events: InboundEvent[] = results.flatMap((result) => (result.ok ? [result.event] : []));

type Http = { request?: { method?: string }; response: { status_code: number; body?: { bytes: number } } };
const httpOf = (event: InboundEvent): Http => event.http as Http;

function tally(values: (string | number | undefined)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) if (value !== undefined) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
}

describe('elastic-examples apache_logs', () => {
  it('parses all 10,000 lines into schema-valid events', () => {
    expect(lines).toHaveLength(10000);
    expect(results.filter((result) => !result.ok)).toEqual([]);
    expect(events.map(schemaIssues).filter((issues) => issues !== undefined)).toEqual([]);
  });

  it('reads the status codes SOURCE.md lists, and the same as a regex over the raw lines', () => {
    const rawStatuses = tally(lines.map((line) => /" (\d{3}) (?:\d+|-) /.exec(line)?.[1]));
    const statuses = tally(events.map((event) => httpOf(event).response.status_code));
    expect(statuses).toEqual(rawStatuses);
    expect(statuses).toMatchObject({ '200': 9126, '304': 445, '404': 213, '301': 164, '206': 45, '500': 3 });
  });

  it('finds 1,753 distinct clients and the same methods, bytes and user agents as the raw lines', () => {
    expect(new Set(events.map((event) => event.source?.ip)).size).toBe(1753);
    expect(tally(events.map((event) => httpOf(event).request?.method))).toEqual(tally(lines.map((line) => /\] "([A-Z]+) /.exec(line)?.[1])));
    const rawBytes = lines.reduce((sum, line) => sum + Number(/" \d{3} (\d+) /.exec(line)?.[1] ?? 0), 0);
    expect(events.reduce((sum, event) => sum + (httpOf(event).response.body?.bytes ?? 0), 0)).toBe(rawBytes);
    // One line is cut off inside the user agent; the unterminated field runs to the end of the line.
    const withAgent = lines.filter((line) => !line.endsWith('"-"')).length;
    expect(events.filter((event) => event.user_agent !== undefined)).toHaveLength(withAgent);
    const agents = events.map((event) => (event.user_agent as { original?: string } | undefined)?.original ?? '');
    expect(agents.filter((agent) => agent.endsWith('+http://www.google.com/bot.html'))).toHaveLength(1);
  });

  it('covers 17 May 2015 10:05 to 20 May 2015 21:05 UTC', () => {
    const timestamps = events.map((event) => event['@timestamp'] as string).sort();
    expect(timestamps[0].startsWith('2015-05-17T10:05')).toBe(true);
    expect(timestamps[timestamps.length - 1].startsWith('2015-05-20T21:05')).toBe(true);
  });

  it('finds the 12 opportunistic wp-login.php probes, all answered 404', () => {
    const probes = events.filter((event) => event.url?.path === '/wp-login.php');
    expect(probes).toHaveLength(12);
    expect(probes.every((event) => httpOf(event).response.status_code === 404 && event.event?.outcome === 'failure')).toBe(true);
    expect(new Set(probes.map((event) => event.source?.ip)).size).toBe(12);
  });

  it('splits path and query as sent', () => {
    const withQuery = events.filter((event) => event.url?.query !== undefined);
    expect(withQuery.length).toBe(lines.filter((line) => /\] "[A-Z]+ [^ ?"]*\?/.test(line)).length);
    for (const event of withQuery) expect(event.url?.original).toBe(`${event.url?.path}?${event.url?.query}`);
  });
});
