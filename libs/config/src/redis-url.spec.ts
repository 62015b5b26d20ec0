import { parseConfig } from './config';
import { isRedisClusterUrl, parseRedisClusterUrl } from './redis-url';

describe('parseRedisClusterUrl', () => {
  it('reads the seed nodes, the credentials every node takes and TLS', () => {
    expect(parseRedisClusterUrl('redis+cluster://10.0.0.1:6379,10.0.0.2:6380')).toEqual({
      address: {
        seeds: [
          { host: '10.0.0.1', port: 6379 },
          { host: '10.0.0.2', port: 6380 },
        ],
        tls: false,
      },
    });
    expect(parseRedisClusterUrl('rediss+cluster://soc:p%40ss@redis-a:6379,[::1]:7000/')).toEqual({
      address: {
        seeds: [
          { host: 'redis-a', port: 6379 },
          { host: '::1', port: 7000 },
        ],
        username: 'soc',
        password: 'p@ss',
        tls: true,
      },
    });
  });

  it('names every bad part', () => {
    expect(parseRedisClusterUrl('redis+cluster://')).toEqual({
      problems: ['redis+cluster:// needs at least one seed node host:port (e.g. redis+cluster://10.0.0.1:6379,10.0.0.2:6379)'],
    });
    expect(parseRedisClusterUrl('redis+cluster://a,b:70000/2')).toEqual({
      problems: [
        "a Redis Cluster has only database 0: drop '/2'",
        "seed node 'a' is not host:port (e.g. redis+cluster://10.0.0.1:6379,10.0.0.2:6379; IPv6 as [::1]:6379)",
        "seed node 'b:70000': port must be 1-65535",
      ],
    });
    expect(parseRedisClusterUrl('redis+cluster://a:1?x=1')).toEqual({ problems: ["a cluster URL takes no query or fragment ('?x=1')"] });
  });

  it('tells a cluster URL from one Redis', () => {
    expect(isRedisClusterUrl('redis+cluster://a:1')).toBe(true);
    expect(isRedisClusterUrl('rediss+cluster://a:1')).toBe(true);
    expect(isRedisClusterUrl('redis://a:1')).toBe(false);
  });
});

describe('REDIS_URL and KEY_PREFIX on a cluster', () => {
  const base = { NODE_ENV: 'development' };

  it('accepts a cluster URL', () => {
    expect(parseConfig({ ...base, REDIS_URL: 'redis+cluster://127.0.0.1:7000,127.0.0.1:7001' }).redis.url).toBe(
      'redis+cluster://127.0.0.1:7000,127.0.0.1:7001',
    );
  });

  it('refuses a bad cluster URL naming the seed at fault', () => {
    expect(() => parseConfig({ ...base, REDIS_URL: 'redis+cluster://127.0.0.1' })).toThrow(
      "REDIS_URL: seed node '127.0.0.1' is not host:port (e.g. redis+cluster://10.0.0.1:6379,10.0.0.2:6379; IPv6 as [::1]:6379)",
    );
  });

  it('refuses what is neither', () => {
    expect(() => parseConfig({ ...base, REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(
      'REDIS_URL: must be a URL starting with redis:// or rediss:// (one Redis), or redis+cluster:// or rediss+cluster:// and seed nodes host:port,host:port (a Redis Cluster)',
    );
  });

  it('refuses a hash tag in KEY_PREFIX on a cluster, and allows it on one Redis', () => {
    expect(() => parseConfig({ ...base, REDIS_URL: 'redis+cluster://127.0.0.1:7000', KEY_PREFIX: '{soc}' })).toThrow(
      "KEY_PREFIX: must not contain '{' or '}' on a Redis Cluster (REDIS_URL redis+cluster://): the keys carry their own hash tags, and one in the prefix would put every key in one slot (docs/SCALING.md)",
    );
    expect(parseConfig({ ...base, KEY_PREFIX: '{soc}' }).redis.keyPrefix).toBe('{soc}');
  });
});
