import { ReplyError } from 'ioredis';
import { isStoreFailure } from './ingest-pipeline';

describe(isStoreFailure.name, () => {
  it('takes failures of Redis for the store being unavailable', () => {
    expect(isStoreFailure(new Error('Connection is closed.'))).toBe(true);
    expect(isStoreFailure(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
    expect(isStoreFailure(new ReplyError('OOM command not allowed when used memory > maxmemory'))).toBe(true);
  });

  it('never takes a fault of the data or the code for it (no 503 that tells a sender to retry forever)', () => {
    let overflow: unknown;
    try {
      const deep = JSON.parse(`${'{"x":'.repeat(10_000)}1${'}'.repeat(10_000)}`) as unknown;
      JSON.stringify(deep);
    } catch (error) {
      overflow = error;
    }
    expect(overflow).toBeInstanceOf(RangeError);
    expect(isStoreFailure(overflow)).toBe(false);
    expect(isStoreFailure(new TypeError('x is not a function'))).toBe(false);
    expect(isStoreFailure('not an error')).toBe(false);
  });
});
