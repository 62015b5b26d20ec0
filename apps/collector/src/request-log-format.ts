import { HttpException, HttpStatus } from '@nestjs/common';
import { declaredDatasetSchema, type ForwarderKeyRepository, type ResolvedForwarderKey } from '@soc/auth';
import { isLogFormat, logFormats, type LogFormat } from '@soc/ingest';
import { isKnownTimeZone } from '@soc/parsing';
import { apiKeyFrom } from './forwarder-auth';

type Headers = Record<string, string | string[] | undefined>;

/**
 * What the request's forwarder key declared (format, dataset, zone). Call after
 * `authenticateForwarder`: the key's look-up is then answered from the repository's cache.
 */
export async function keyDeclarations(keys: ForwarderKeyRepository, headers: Headers): Promise<ResolvedForwarderKey | undefined> {
  const key = apiKeyFrom(headers);
  return key === undefined ? undefined : keys.resolveKey(key);
}

/**
 * What this request's records are: the `X-Log-Format` header, else the format stored with the
 * forwarder key, else `auto` (recognised per record).
 */
export function requestLogFormat(headers: Headers, key: ResolvedForwarderKey | undefined): LogFormat {
  return chooseLogFormat(headers['x-log-format'], key?.format);
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

/**
 * The dataset of this request's lines from programs the parsers do not know (parseLogLine's
 * `dataset`, as a syslog sender's): the `X-Log-Dataset` header (a 400 when malformed), else the
 * key's, else none.
 */
export function requestDataset(headers: Headers, key: ResolvedForwarderKey | undefined): string | undefined {
  const header = headers['x-log-dataset'];
  if (header === undefined) return usableDataset(key?.dataset);
  const value = declaredDatasetSchema.safeParse(typeof header === 'string' ? header.trim() : undefined);
  if (value.success) return value.data;
  throw new HttpException(
    { error: 'invalid_dataset', message: 'X-Log-Dataset must be <module>.<dataset> in lower case, such as fortinet.firewall', field: 'X-Log-Dataset' },
    HttpStatus.BAD_REQUEST,
  );
}

/** A stored declaration this collector would not accept now (edited in Redis) is no reason to refuse events. */
function usableDataset(dataset: string | undefined): string | undefined {
  return declaredDatasetSchema.safeParse(dataset).success ? dataset : undefined;
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
      {
        error: 'invalid_reference_time',
        message: 'X-Log-Reference-Time must be an ISO 8601 date-time with an offset, such as 2005-12-31T23:59:59Z',
        field: 'X-Log-Reference-Time',
      },
      HttpStatus.BAD_REQUEST,
    );
  }
  const date = headers.date;
  const sent = typeof date === 'string' ? Date.parse(date) : Number.NaN;
  return Number.isNaN(sent) ? arrival : new Date(sent);
}

/**
 * The zone of this request's offset-less timestamps: the `X-Log-Time-Zone` header (a 400 when
 * it names no zone), else the forwarder key's `time_zone`, else the member's from the members
 * file, else the collector's (`SYSLOG_TIME_ZONE`).
 */
export function requestTimeZone(headers: Headers, declared: { key?: string; member?: string }, collectorZone: string): string {
  const header = headers['x-log-time-zone'];
  if (header === undefined) {
    // A key's zone this runtime does not know (stored by one with newer zone data) falls through.
    const keyZone = declared.key !== undefined && isKnownTimeZone(declared.key) ? declared.key : undefined;
    return keyZone ?? declared.member ?? collectorZone;
  }
  const value = typeof header === 'string' ? header.trim() : '';
  if (value.length > 0 && isKnownTimeZone(value)) return value;
  throw new HttpException(
    { error: 'invalid_time_zone', message: 'X-Log-Time-Zone must be an IANA time zone such as Europe/Copenhagen or UTC', field: 'X-Log-Time-Zone' },
    HttpStatus.BAD_REQUEST,
  );
}
