import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'X-SOC-Signature';
export const timestampHeader = 'X-SOC-Timestamp';

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`; the timestamp is Unix seconds. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: recompute, compare in constant time, refuse stale timestamps (replays). */
export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string, toleranceSeconds = 300, now = Date.now()): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
