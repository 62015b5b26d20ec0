import Redis from 'ioredis';
import { allMembers, memberScope } from '@soc/contracts';
import { WebhookDeliveryRepository, type WebhookDelivery } from './webhook-deliveries.repository';
import { redisUrl, uniqueName } from '../../../../test/support';

describe(WebhookDeliveryRepository.name, () => {
  const redis = new Redis(redisUrl);
  const prefix = uniqueName('int', ':');
  const deliveries = new WebhookDeliveryRepository(redis, prefix, 10);
  const at = (second: number) => new Date(Date.UTC(2026, 11, 3, 10, 0, second)).toISOString();
  const delivery = (member: string, job: string, second: number, more: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
    job_id: job,
    member,
    alert_id: `alert-${job}`,
    type: 'alert.created',
    url: `https://hooks.example/${member}`,
    status: 'delivered',
    attempts: 1,
    max_attempts: 5,
    queued_at: at(0),
    last_attempt_at: at(second),
    response_code: 204,
    ...more,
  });

  afterAll(async () => {
    await redis.del(deliveries.keyOf('0751'), deliveries.keyOf('0851'));
    await redis.quit();
  });

  it('keeps one entry per notification, its latest attempt: retrying, then failed', async () => {
    await deliveries.record(delivery('0751', 'j1', 1, { status: 'retrying', response_code: 500, last_error: 'endpoint answered 500' }));
    await deliveries.record(delivery('0751', 'j1', 2, { status: 'failed', attempts: 5, response_code: 503, last_error: 'endpoint answered 503' }));
    expect(await deliveries.list(memberScope('0751'), [], 10)).toEqual([
      delivery('0751', 'j1', 2, { status: 'failed', attempts: 5, response_code: 503, last_error: 'endpoint answered 503' }),
    ]);
  });

  it("shows a member its own deliveries only, newest first, and nothing when it names another member; the SOC sees each member's", async () => {
    await deliveries.record(delivery('0751', 'j2', 3));
    await deliveries.record(delivery('0851', 'k1', 4));
    expect((await deliveries.list(memberScope('0751'), ['0751', '0851'], 10)).map((d) => d.job_id)).toEqual(['j2', 'j1']);
    expect(await deliveries.list(memberScope('0751'), ['0751', '0851'], 10, '0851')).toEqual([]);
    expect((await deliveries.list(allMembers, ['0751', '0851'], 10)).map((d) => d.job_id)).toEqual(['k1', 'j2', 'j1']);
    expect((await deliveries.list(allMembers, ['0751', '0851'], 10, '0851')).map((d) => d.job_id)).toEqual(['k1']);
    expect((await deliveries.list(allMembers, ['0751', '0851'], 2)).map((d) => d.job_id)).toEqual(['k1', 'j2']);
  });

  it('is bounded per member: beyond the capacity the oldest attempts are dropped', async () => {
    for (let i = 0; i < 20; i++) await deliveries.record(delivery('0751', `n${String(i).padStart(2, '0')}`, 10 + i));
    const kept = await redis.hlen(deliveries.keyOf('0751'));
    expect(kept).toBeLessThanOrEqual(11);
    expect(kept).toBeGreaterThanOrEqual(10);
    const listed = await deliveries.list(memberScope('0751'), [], 10);
    expect(listed.map((d) => d.job_id)).toEqual(Array.from({ length: 10 }, (_, i) => `n${String(19 - i).padStart(2, '0')}`));
    // The other member's log is untouched.
    expect((await deliveries.list(memberScope('0851'), [], 10)).map((d) => d.job_id)).toEqual(['k1']);
  });
});
