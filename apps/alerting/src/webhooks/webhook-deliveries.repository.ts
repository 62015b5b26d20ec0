import type { AccessScope, WebhookEventType } from '@soc/contracts';
import type { Redis } from '@soc/redis';

/** What became of one notification to one endpoint, after its latest attempt. */
export interface WebhookDelivery {
  /** The notification's job id (the dead-letter list's `job_id` once it failed for good). */
  job_id: string;
  member: string;
  alert_id: string;
  type: WebhookEventType;
  /** The endpoint as the members file configures it (its secret is never shown). */
  url: string;
  /** `delivered`: answered 2xx; `retrying`: the latest attempt failed and another is due; `failed`: no attempt is left. */
  status: 'delivered' | 'retrying' | 'failed';
  attempts: number;
  max_attempts: number;
  queued_at: string;
  last_attempt_at: string;
  /** The endpoint's HTTP status of the latest attempt, when it answered. */
  response_code?: number;
  /** Why the latest attempt failed (a status, a timeout, a refused connection, a missing secret). */
  last_error?: string;
}

/** Deliveries kept per member: the newest by their latest attempt; older ones are dropped. */
export const webhookDeliveriesPerMember = 200;

/**
 * The recent webhook deliveries of each member, one Redis hash per member
 * (`<prefix>:webhook-deliveries:<member>`, job id → delivery), bounded to `capacity` entries. Written by
 * the webhook worker after every attempt; read with the caller's scope, so a member sees its own only.
 */
export class WebhookDeliveryRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly capacity = webhookDeliveriesPerMember,
  ) {}

  keyOf(member: string): string {
    return `${this.keyPrefix}:webhook-deliveries:${member}`;
  }

  async record(delivery: WebhookDelivery): Promise<void> {
    const key = this.keyOf(delivery.member);
    const results = await this.redis.multi().hset(key, delivery.job_id, JSON.stringify(delivery)).hlen(key).exec();
    if (!results || results.some(([error]) => error)) throw new Error('Redis discarded the webhook delivery record');
    const size = Number(results[1]![1]);
    // Trimmed in steps of a tenth, so a busy member costs one read of its hash every capacity/10 deliveries.
    if (size > this.capacity + Math.ceil(this.capacity / 10)) {
      const oldest = (await this.read(delivery.member)).slice(this.capacity).map((d) => d.job_id);
      if (oldest.length > 0) await this.redis.hdel(key, ...oldest);
    }
  }

  /**
   * The newest `size` deliveries in the caller's scope, newest attempt first: a member's own (asking
   * for another member gives none); the SOC's of `member`, or of every one of `members`.
   */
  async list(scope: AccessScope, members: string[], size: number, member?: string): Promise<WebhookDelivery[]> {
    let wanted: string[];
    if (scope.kind === 'member') wanted = member === undefined || member === scope.memberId ? [scope.memberId] : [];
    else wanted = member === undefined ? members : [member];
    const all = (await Promise.all(wanted.map((m) => this.read(m)))).flat();
    return all.sort(newestFirst).slice(0, size);
  }

  private async read(member: string): Promise<WebhookDelivery[]> {
    const stored = Object.values(await this.redis.hgetall(this.keyOf(member)));
    return stored.map((json) => JSON.parse(json) as WebhookDelivery).sort(newestFirst);
  }
}

function newestFirst(a: WebhookDelivery, b: WebhookDelivery): number {
  return b.last_attempt_at.localeCompare(a.last_attempt_at) || a.job_id.localeCompare(b.job_id);
}
