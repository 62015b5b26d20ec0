import { ConfigError, parseConfig } from './config';

describe('parseConfig', () => {
  it('works on an empty environment with the local defaults', () => {
    const config = parseConfig({});
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.elasticsearch.url).toBe('http://127.0.0.1:9200');
    expect(config.streams.events).toBe('soc:events');
  });

  it('names every bad key at once', () => {
    let error: unknown;
    try {
      parseConfig({ REDIS_URL: 'http://x', COLLECTOR_PORT: '70000', INDEX_PREFIX: 'Bad Prefix' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('REDIS_URL: must be a URL starting with redis: or rediss://');
    expect(problems).toContain('COLLECTOR_PORT');
    expect(problems).toContain('INDEX_PREFIX: must be lowercase letters');
  });

  it('requires a JWT secret in production', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow('JWT_SECRET: required when NODE_ENV is production');
  });

  it('rejects a short JWT secret', () => {
    expect(() => parseConfig({ JWT_SECRET: 'short' })).toThrow('JWT_SECRET: must be at least 32 characters');
  });
});
