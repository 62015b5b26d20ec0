import { HttpException, HttpStatus } from '@nestjs/common';
import type { ForwarderKeyRepository } from '@soc/auth';
import { isLogFormat, logFormats, type LogFormat } from '@soc/ingest';
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
