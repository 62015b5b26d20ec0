import type { Redis } from '@soc/redis';
import { consoleSessionSchema, pendingSignInSchema, type ConsoleSession, type PendingSignIn } from './console-session';
import { isSessionIdShaped, newSessionId, sessionKeyOf } from './session-id';

/** How long a sign-in begun at the provider may take before its callback is refused. */
export const pendingSignInSeconds = 600;

/**
 * Console sessions and sign-ins in progress, in Redis under a configurable prefix, each key the
 * SHA-256 of the id the browser holds and with a TTL, so an abandoned session goes by itself.
 */
export class SessionRepository {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Stores a new session and answers its id (for the cookie). */
  async create(session: ConsoleSession, ttlSeconds: number): Promise<string> {
    const id = newSessionId();
    await this.redis.set(sessionKeyOf(this.prefix, 'session', id), JSON.stringify(session), 'EX', ttlSeconds);
    return id;
  }

  /** The session of a cookie value, or undefined for an unknown, expired or malformed one. */
  async read(id: string): Promise<ConsoleSession | undefined> {
    if (!isSessionIdShaped(id)) return undefined;
    const stored = await this.redis.get(sessionKeyOf(this.prefix, 'session', id));
    if (stored === null) return undefined;
    const parsed = consoleSessionSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : undefined;
  }

  /** Replaces a session after a refresh; only while it still exists (a sign-out meanwhile wins). */
  async replace(id: string, session: ConsoleSession, ttlSeconds: number): Promise<boolean> {
    const reply = await this.redis.set(sessionKeyOf(this.prefix, 'session', id), JSON.stringify(session), 'EX', ttlSeconds, 'XX');
    return reply === 'OK';
  }

  async delete(id: string): Promise<void> {
    if (!isSessionIdShaped(id)) return;
    await this.redis.del(sessionKeyOf(this.prefix, 'session', id));
  }

  /** Stores what the callback of a sign-in must match; answers the id for the browser's sign-in cookie. */
  async beginSignIn(pending: PendingSignIn): Promise<string> {
    const id = newSessionId();
    await this.redis.set(sessionKeyOf(this.prefix, 'sign-in', id), JSON.stringify(pending), 'EX', pendingSignInSeconds);
    return id;
  }

  /** The sign-in of a sign-in cookie, taken once: a callback replayed finds nothing. */
  async takeSignIn(id: string): Promise<PendingSignIn | undefined> {
    if (!isSessionIdShaped(id)) return undefined;
    const stored = await this.redis.getdel(sessionKeyOf(this.prefix, 'sign-in', id));
    if (stored === null) return undefined;
    const parsed = pendingSignInSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : undefined;
  }
}
