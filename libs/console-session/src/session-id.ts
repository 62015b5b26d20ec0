import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: what the browser's cookie holds, and nothing else. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

const sessionIdShape = /^[A-Za-z0-9_-]{43}$/;

/** True for a value `newSessionId` could have made; anything else is refused before Redis is asked. */
export function isSessionIdShaped(value: string): boolean {
  return sessionIdShape.test(value);
}

/**
 * The Redis key of a session id: its SHA-256, so that whoever can read Redis (a backup, a
 * `MONITOR`) holds tokens but no cookie value that would sign them in as someone.
 */
export function sessionKeyOf(prefix: string, kind: 'session' | 'sign-in', id: string): string {
  return `${prefix}:${kind}:${createHash('sha256').update(id).digest('hex')}`;
}
