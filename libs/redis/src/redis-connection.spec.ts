import { clusterOptions } from './redis-connection';

const address = { seeds: [{ host: '127.0.0.1', port: 7000 }], username: 'soc', password: 'secret', tls: true };

describe('clusterOptions', () => {
  it('makes a producer fail fast: no offline queue, one retry, ioredis-default patience for a failover', () => {
    const options = clusterOptions(address, 'producer', 'collector');
    expect(options.enableOfflineQueue).toBe(false);
    expect(options.redisOptions).toMatchObject({ connectionName: 'collector', maxRetriesPerRequest: 1, username: 'soc', password: 'secret', tls: {} });
    expect(options.maxRedirections! * options.retryDelayOnFailover!).toBeLessThanOrEqual(2_000);
  });

  it("makes consumers and workers wait out a failover, with BullMQ's maxRetriesPerRequest null", () => {
    for (const role of ['consumer', 'worker'] as const) {
      const options = clusterOptions(address, role, 'worker');
      expect(options.enableOfflineQueue).toBe(true);
      expect(options.redisOptions?.maxRetriesPerRequest).toBeNull();
      expect(options.maxRedirections! * options.retryDelayOnFailover!).toBeGreaterThanOrEqual(60_000);
    }
  });

  it('reads from masters only and is ready only once the cluster is', () => {
    const options = clusterOptions({ seeds: address.seeds, tls: false }, 'consumer', 'x');
    expect(options.scaleReads).toBe('master');
    expect(options.enableReadyCheck).toBe(true);
    expect(options.redisOptions).not.toHaveProperty('tls');
    expect(options.redisOptions).not.toHaveProperty('password');
  });
});
