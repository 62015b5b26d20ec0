import { HttpException, HttpStatus } from '@nestjs/common';
import type { ForwarderKeyRepository } from '@soc/auth';
import { isLogFormat, logFormats, type LogFormat } from '@soc/ingest';
import { isKnownTimeZone } from '@soc/parsing';
import { apiKeyFrom } from './forwarder-auth';

type Headers = Record<string, string | string[] | undefined>;

/**
 * What this request's records are: the `X-Log-Format` header, else the format stored with the
 * forwarder key, else `auto` (recognised per record). Call after `authenticateForwarder`: the
 * key's look-up is then answered from the repository's cache.
 */
export async function requestLogFormat(keys: ForwarderKeyRepository, headers: Headers): Promise<LogFormat> {
  const header = headers['x-log-format'];
  const key = header === undefined ? apiKeyFrom(headers) : undefined;
  const declared = key === undefined ? undefined : (await keys.resolveKey(key))?.format;
  return chooseLogFormat(header, declared);
}

/** The header's format (a 400 if it names none), else the key's, else `auto`. */
export function chooseLogFormat(header: string | string[] | undefined, keyFormat: string | undefined): LogFormat {
  if (header !== undefined) {
    const value = typeof header === 'string' ? header.trim().toLowerCase() : undefined;
    if (isLogFormat(value)) return value;
    throw new HttpException(
      { error: 'invalid_format', message: `X-Log-Format must be one of ${logFormats.join(', ')}`, field: 'X-Log-Format' },
      HttpStatus.BAD_REQUEST,
    );
  }
  // A format this collector does not know (written by a newer one) is no reason to refuse events.
  return isLogFormat(keyFormat) ? keyFormat : 'auto';
}

/** `text/plain` bodies hold raw log lines, one per line. */
export function isPlainTextBody(headers: Headers): boolean {
  const type = headers['content-type'];
  return typeof type === 'string' && /^\s*text\/plain\s*(;|$)/i.test(type);
}

/** An ISO 8601 date-time with an offset (`Z` or `±hh:mm`). */
const isoDateTimeWithOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * The forwarder's clock, against which year-less timestamps are read (docs/INGEST.md, Event
 * time): `X-Log-Reference-Time` (an uploader's "this file ends by then", a 400 when unreadable),
 * else the HTTP `Date` header the sender's HTTP library wrote (ignored when unreadable: it is not
 * the forwarder author's to fix), else `arrival`.
 */
export function requestReferenceTime(headers: Headers, arrival: Date): Date {
  const declared = headers['x-log-reference-time'];
  if (declared !== undefined) {
    const value = typeof declared === 'string' ? declared.trim() : '';
    const time = isoDateTimeWithOffset.test(value) ? new Date(value) : undefined;
    if (time !== undefined && !Number.isNaN(time.getTime())) return time;
    throw new HttpException(
      { error: 'invalid_reference_time', message: 'X-Log-Reference-Time must be an ISO 8601 date-time with an offset, such as 2005-12-31T23:59:59Z', field: 'X-Log-Reference-Time' },
      HttpStatus.BAD_REQUEST,
    );
  }
  const date = headers.date;
  const sent = typeof date === 'string' ? Date.parse(date) : Number.NaN;
  return Number.isNaN(sent) ? arrival : new Date(sent);
}

/**
 * The zone of this request's offset-less timestamps: the `X-Log-Time-Zone` header (a 400 when
 * it names no zone), else the member's `time_zone` from the members file, else the collector's.
 */
export function requestTimeZone(headers: Headers, memberZone: string | undefined, collectorZone: string): string {
  const header = headers['x-log-time-zone'];
  if (header === undefined) return memberZone ?? collectorZone;
  const value = typeof header === 'string' ? header.trim() : '';
  if (value.length > 0 && isKnownTimeZone(value)) return value;
  throw new HttpException(
    { error: 'invalid_time_zone', message: 'X-Log-Time-Zone must be an IANA time zone such as Europe/Copenhagen or UTC', field: 'X-Log-Time-Zone' },
    HttpStatus.BAD_REQUEST,
  );
}
