import { formatUtcTimestamp } from './calendar';
import { parseBsdTimestampAt } from './bsd-timestamp';
import { parseRfc3339At } from './rfc3339-timestamp';
import { isKnownTimeZone } from './zoned-time';

export interface CefTimestampOptions {
  now: Date;
  /** Zone for timestamps without one. */
  timeZone: string;
}

const epochMillisPattern = /^\d{1,15}$/;
const offsetZonePattern = /^(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/;

/** A zone suffix as CEF senders write it: `GMT+08:00`, `+0100`, `UTC`, `Europe/Copenhagen`. */
function readZone(text: string): { timeZone: string; offsetMinutes: number } | undefined {
  if (text === 'Z' || text === 'UTC' || text === 'GMT') return { timeZone: 'UTC', offsetMinutes: 0 };
  const offset = offsetZonePattern.exec(text);
  if (offset !== null) {
    const hours = Number(offset[2]);
    const minutes = offset[3] === undefined ? 0 : Number(offset[3]);
    if (hours > 23 || minutes > 59) return undefined;
    return { timeZone: 'UTC', offsetMinutes: (offset[1] === '-' ? -1 : 1) * (hours * 60 + minutes) };
  }
  return isKnownTimeZone(text) ? { timeZone: text, offsetMinutes: 0 } : undefined;
}

/**
 * CEF date fields (`rt`, `end`, `start`, `deviceCustomDate1`, ...) in the formats the CEF
 * specification allows: epoch milliseconds, `MMM dd yyyy HH:mm:ss[.SSS] [zone]`,
 * `MMM dd HH:mm:ss[.SSS] [zone]` (year from `now`), and ISO 8601. Undefined when unreadable.
 */
export function parseCefTimestamp(value: string, options: CefTimestampOptions): string | undefined {
  const text = value.trim();
  if (epochMillisPattern.test(text)) return formatUtcTimestamp(Number(text));
  if (/^\d{4}-\d{2}-\d{2}[Tt]/.test(text)) {
    const iso = parseRfc3339At(text, 0, { strict: false, timeZone: options.timeZone });
    return 'ok' in iso || iso.end !== text.length ? undefined : iso.iso;
  }
  const space = findTimeEnd(text);
  const zoneText = space === -1 ? '' : text.slice(space + 1).trim();
  const zone = zoneText.length === 0 ? { timeZone: options.timeZone, offsetMinutes: 0 } : readZone(zoneText);
  if (zone === undefined) return undefined;
  const stamp = text.slice(0, space === -1 ? text.length : space);
  const parsed = parseBsdTimestampAt(stamp, 0, { now: options.now, timeZone: zone.timeZone });
  if (parsed === undefined || 'ok' in parsed || parsed.end !== stamp.length) return undefined;
  if (zone.offsetMinutes === 0) return parsed.iso;
  return formatUtcTimestamp(Date.parse(parsed.iso) - zone.offsetMinutes * 60_000);
}

/** Index of the space after `hh:mm:ss[.SSS]`, or -1 when the time ends the text. */
function findTimeEnd(text: string): number {
  const firstColon = text.indexOf(':');
  if (firstColon === -1) return -1;
  return text.indexOf(' ', firstColon);
}
