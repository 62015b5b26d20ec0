import { ReplyError } from 'ioredis';
import { ReplicaConfirmationError } from '@soc/event-stream';
import { isStoreFailure } from './ingest-pipeline';

describe(isStoreFailure.name, () => {
  it('takes failures of Redis for the store being unavailable', () => {
    expect(isStoreFailure(new Error('Connection is closed.'))).toBe(true);
    expect(isStoreFailure(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
    expect(isStoreFailure(new ReplyError('OOM command not allowed when used memory > maxmemory'))).toBe(true);
    // Too few replicas confirmed an append (INGEST_WAIT_REPLICAS): refused as unavailable, so the sender retries.
    expect(isStoreFailure(new ReplicaConfirmationError('soc:events', 0, 1, 500))).toBe(true);
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
