import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { EventStreamPartitions } from '@soc/event-stream';
import { redisUrl, uniqueName } from '../support';

const root = join(__dirname, '../..');
const run = promisify(execFile);

/**
 * `soc streams partitions` on real Redis: the keys EVENTS_STREAM and EVENTS_STREAM_PARTITIONS give
 * (the ones the collector writes), and each partition's consumer groups with their lag and pending
 * as Redis counts them, so an operator can watch a partition or write one KEDA trigger per key.
 */
describe('soc streams partitions: the partition keys and their consumer groups', () => {
  const redis = new Redis(redisUrl);
  const stream = uniqueName('e2e-cli-streams', ':');
  const partitions = new EventStreamPartitions(stream, 4);
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    run(process.execPath, ['-r', join(root, 'scripts/register-paths.js'), join(root, 'dist/apps/cli/src/main.js'), 'streams', 'partitions', ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        JWT_SECRET: 'e2e-cli-streams-0123456789abcdef',
        REDIS_URL: redisUrl,
        EVENTS_STREAM: stream,
        ...extra,
      },
    });

  afterAll(async () => {
    await redis.del(...partitions.keys);
    redis.disconnect();
  });

  it('names every partition key without Redis, as the collector computes them, and the one key without partitions', async () => {
    const four = JSON.parse((await cli(['--keys-only'], { EVENTS_STREAM_PARTITIONS: '4', REDIS_URL: 'redis://127.0.0.1:1' })).stdout);
    expect(four).toEqual({ stream, partitions: 4, keys: [...partitions.keys] });
    expect(new Set(four.keys).size).toBe(4);
    const one = JSON.parse((await cli(['--keys-only'])).stdout);
    expect(one).toEqual({ stream, partitions: 1, keys: [stream] });
  });

  it("reports each partition's groups with the lag and pending Redis counts", async () => {
    const [first, second] = partitions.keys;
    await redis.xgroup('CREATE', first!, 'correlator', '$', 'MKSTREAM');
    await redis.xgroup('CREATE', first!, 'indexer', '$');
    await redis.xadd(first!, '*', 'batch', '{}');
    await redis.xadd(first!, '*', 'batch', '{}');
    await redis.xadd(first!, '*', 'batch', '{}');
    // The correlator reads two of the three entries and acknowledges none: lag 1, pending 2.
    await redis.xreadgroup('GROUP', 'correlator', 'e2e', 'COUNT', 2, 'STREAMS', first!, '>');
    await redis.xgroup('CREATE', second!, 'correlator', '$', 'MKSTREAM');

    const report = JSON.parse((await cli([], { EVENTS_STREAM_PARTITIONS: '4' })).stdout);
    expect(report.stream).toBe(stream);
    expect(report.partitions).toBe(4);
    expect(report.keys).toEqual([
      {
        partition: 0,
        key: first,
        groups: [
          { group: 'correlator', lag: 1, pending: 2 },
          { group: 'indexer', lag: 3, pending: 0 },
        ],
      },
      { partition: 1, key: second, groups: [{ group: 'correlator', lag: 0, pending: 0 }] },
      { partition: 2, key: partitions.keys[2], groups: [] },
      { partition: 3, key: partitions.keys[3], groups: [] },
    ]);
  });
});
