import Redis from 'ioredis';
import { IngestionHealthRepository } from '@soc/ingestion-health';
import { IngestionMetrics } from './ingestion-metrics';
import { redisUrl, uniqueName } from '../../../test/support';

describe(IngestionMetrics.name, () => {
  const redis = new Redis(redisUrl);
  const prefix = uniqueName('int', ':');
  const store = new IngestionHealthRepository(redis, prefix);
  // Two collector replicas counting into the same Redis.
  const replicas = [new IngestionMetrics(store), new IngestionMetrics(store)];

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.onModuleDestroy()));
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('sums the counts of every replica per member once they are flushed', async () => {
    replicas[0].accepted('0751', 'http', 120);
    replicas[1].accepted('0751', 'syslog_tcp', 60);
    replicas[1].parseErrors('0751', 'syslog_tcp', 3);
    replicas[0].unparsed('0751', 'http', 4);
    replicas[1].unparsed('0751', 'http', 1);
    replicas[0].refused('0751', 'http', 'rate_limited', 500);
    replicas[1].refused('0751', 'http', 'rate_limited', 100);
    replicas[1].refused('0101', 'http', 'backlog', 7);
    await Promise.all(replicas.map((replica) => replica.flush()));

    const [aarhus] = await replicas[0].health('0751');
    expect(aarhus).toMatchObject({ member_id: '0751', accepted: 180, parse_errors: 3, unparsed: 5, refused: { rate_limited: 600 } });
    expect(Date.now() - Date.parse(aarhus.last_event_at!)).toBeLessThan(10_000);
    expect(aarhus.events_per_second).toBeGreaterThan(0);
    expect((await replicas[1].health()).map((h) => h.member_id)).toEqual(['0101', '0751']);
  });

  it('answers a member that never sent anything with zeros', async () => {
    expect(await replicas[0].health('0461')).toEqual([
      { member_id: '0461', last_event_at: null, events_per_second: 0, accepted: 0, parse_errors: 0, unparsed: 0, late_for_correlation: 0, refused: {} },
    ]);
  });

  it("adds the correlator's late events to the member's health, beside what the collectors counted", async () => {
    await store.addLate(new Map([['0851', 3]]));
    await store.addLate(
      new Map([
        ['0851', 2],
        ['0101', 1],
      ]),
    );
    const health = await store.read(['0851', '0101']);
    expect(health.map((h) => [h.member_id, h.late_for_correlation, h.accepted])).toEqual([
      ['0851', 5, 0],
      ['0101', 1, 0],
    ]);
    // A member that only ever had late events is listed among those that sent something.
    expect((await store.read()).map((h) => h.member_id)).toEqual(expect.arrayContaining(['0851', '0101']));
  });

  it('keeps the last event time of the latest replica, whatever the flush order', async () => {
    await store.add(new Map([['0147', { accepted: 1, parseErrors: 0, unparsed: 0, refused: {}, acceptedByMinute: new Map(), lastEventMs: 2_000_000 }]]));
    await store.add(new Map([['0147', { accepted: 1, parseErrors: 0, unparsed: 0, refused: {}, acceptedByMinute: new Map(), lastEventMs: 1_000_000 }]]));
    const [health] = await store.read(['0147']);
    expect(health.last_event_at).toBe(new Date(2_000_000).toISOString());
  });

  it('estimates events per second from the current and the previous minute', async () => {
    const now = Date.UTC(2026, 10, 28, 12, 0, 15); // a quarter into the minute
    const minute = Math.floor(now / 60_000);
    await store.add(
      new Map([
        [
          '0330',
          {
            accepted: 0,
            parseErrors: 0,
            unparsed: 0,
            refused: {},
            acceptedByMinute: new Map([
              [minute - 1, 6_000],
              [minute, 1_500],
            ]),
            lastEventMs: now,
          },
        ],
      ]),
    );
    const [health] = await store.read(['0330'], now);
    expect(health.events_per_second).toBe(100); // (6000 × 0.75 + 1500) / 60
  });

  it('exposes Prometheus counters labelled by member and transport', async () => {
    const text = await replicas[0].registry.metrics();
    expect(text).toContain('soc_ingest_events_accepted_total{member="0751",transport="http"} 120');
    expect(text).toContain('soc_ingest_events_refused_total{member="0751",transport="http",reason="rate_limited"} 500');
  });
});
