import { HttpException, HttpStatus } from '@nestjs/common';
import type { ForwarderKeyRepository } from '@soc/auth';

/** `Authorization: ApiKey <key>` (as Elastic's forwarders send it) or `X-Api-Key: <key>`. */
export function apiKeyFrom(headers: Record<string, string | string[] | undefined>): string | undefined {
  const authorization = headers['authorization'];
  if (typeof authorization === 'string') {
    const match = /^ApiKey\s+(\S+)$/i.exec(authorization);
    if (match) return match[1];
  }
  const header = headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}

/** The member the request's key belongs to: 401 for a missing or unknown key, 503 if Redis is away. */
export async function authenticateForwarder(keys: ForwarderKeyRepository, headers: Record<string, string | string[] | undefined>): Promise<string> {
  const key = apiKeyFrom(headers);
  if (!key) {
    throw new HttpException({ error: 'unauthenticated', message: 'send the forwarder key as "Authorization: ApiKey <key>"' }, HttpStatus.UNAUTHORIZED);
  }
  let memberId: string | undefined;
  try {
    memberId = await keys.resolve(key);
  } catch {
    throw unavailable();
  }
  if (!memberId) throw new HttpException({ error: 'unauthenticated', message: 'unknown or revoked forwarder key' }, HttpStatus.UNAUTHORIZED);
  return memberId;
}

export function unavailable(): HttpException {
  return new HttpException(
    { error: 'unavailable', message: 'the event store is unavailable; nothing was accepted, retry later' },
    HttpStatus.SERVICE_UNAVAILABLE,
  );
}
