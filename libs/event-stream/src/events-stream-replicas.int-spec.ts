import { connect } from 'node:net';
import type Redis from 'ioredis';
import type { SocEvent } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { redisUrl, uniqueId, waitFor } from '../../../test/support';
import { EventsStream, ReplicaConfirmationError } from './events.stream';

function eventsOf(member: string, count: number): SocEvent[] {
  return Array.from(
    { length: count },
    (_, i) => ({ '@timestamp': new Date().toISOString(), event: { id: `${member}-${i}` }, organization: { id: member } }) as SocEvent,
  );
}

/** The shared test Redis, which has no replica: what a single box without one looks like. */
describe('replica confirmation of appends on a single Redis without replicas', () => {
  let redis: Redis;
  const keys: string[] = [];

  beforeAll(async () => {
    redis = createRedis(redisUrl, 'producer', 'events-stream-replicas-spec');
    await new Promise((resolve) => (redis.status === 'ready' ? resolve(undefined) : redis.once('ready', resolve)));
    expect(await redis.info('replication')).toContain('connected_slaves:0');
  });

  afterAll(async () => {
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  /**
   * The commands this spec's connection sends while `action` runs, as MONITOR sees them (by the
   * connection's own address). MONITOR is read from a plain socket: ioredis' monitor mode fails
   * with "Command queue state error" when MONITOR's +OK and the first monitored line arrive in one
   * TCP read, and a failed test must not leave the monitoring socket open (jest would not exit).
   */
  async function commandsDuring(action: () => Promise<unknown>): Promise<string[]> {
    const source = `127.0.0.1:${(redis as unknown as { stream: { localPort: number } }).stream.localPort}`;
    const { hostname, port } = new URL(redisUrl);
    const socket = connect(Number(port || 6379), hostname);
    const seen: string[] = [];
    let started = false;
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\r\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (line === '+OK') started = true;
        // +1796317383.615855 [0 127.0.0.1:44372] "xadd" "key" ...
        const monitored = /^\+\d+\.\d+ \[\d+ (\S+)\] "([^"]*)"/.exec(line);
        if (monitored && monitored[1]!.endsWith(source)) seen.push(monitored[2]!.toLowerCase());
      }
    });
    try {
      socket.write('MONITOR\r\n');
      await waitFor(
        () => started,
        5_000,
        () => 'MONITOR never answered +OK',
      );
      await action();
      // A marker after the action: once MONITOR shows it, every earlier command of the connection was shown.
      const marker = `marker-${uniqueId()}`;
      await redis.echo(marker);
      await waitFor(
        () => seen.includes('echo'),
        5_000,
        () => `MONITOR never showed ${marker}`,
      );
      return seen.filter((command) => command !== 'echo');
    } finally {
      socket.destroy();
    }
  }

  it('INGEST_WAIT_REPLICAS 0 (the default) never sends WAIT: the transaction alone', async () => {
    const key = `test:wait0:${uniqueId()}`;
    keys.push(key);
    const stream = new EventsStream(redis, key, 2);
    const commands = await commandsDuring(async () => expect(await stream.append(eventsOf('0751', 5))).toHaveLength(3));
    expect(commands).toEqual(['multi', 'xadd', 'xadd', 'xadd', 'exec']);
    expect(await redis.xlen(key)).toBe(3);
  });

  it('INGEST_WAIT_REPLICAS 1 with no replica rejects after the timeout, naming the partition; the entries stay on the master', async () => {
    const key = `test:wait1:${uniqueId()}`;
    keys.push(key);
    const stream = new EventsStream(redis, key, 500, 1, { replicas: 1, timeoutMs: 200 });
    let refusal: unknown;
    const started = Date.now();
    const commands = await commandsDuring(() => stream.append(eventsOf('0751', 4)).catch((error: unknown) => (refusal = error)));
    const tookMs = Date.now() - started;
    expect(commands).toEqual(['multi', 'xadd', 'exec', 'wait']);
    expect(refusal).toBeInstanceOf(ReplicaConfirmationError);
    expect((refusal as Error).message).toBe(
      `events stream ${key}: 0 of 1 required replica(s) confirmed the append within 200 ms (INGEST_WAIT_REPLICAS); the entries are on the master, a retry may store them twice`,
    );
    expect(tookMs).toBeGreaterThanOrEqual(190);
    // Written all the same: a sender that retries after the refusal stores them a second time (at least once).
    expect(await redis.xlen(key)).toBe(1);
  });

  it('with partitions, names the partition that was not confirmed', async () => {
    const base = `test:waitp:${uniqueId()}`;
    const stream = new EventsStream(redis, base, 500, 4, { replicas: 2, timeoutMs: 50 });
    keys.push(...stream.partitions.keys);
    const member = '0751';
    await expect(stream.append(eventsOf(member, 2))).rejects.toMatchObject({ stream: stream.partitions.keyOf(member), confirmed: 0, required: 2 });
  });
});
