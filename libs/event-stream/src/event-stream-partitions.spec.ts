import { municipalities } from '@soc/members';
import { clusterSlotOf, EventStreamPartitions, eventStreamPartitions, fnv1a32, memberHash, partitionTag } from './event-stream-partitions';

describe(EventStreamPartitions.name, () => {
  it('keeps the configured key with one partition, so a single box and an upgrade see the same stream', () => {
    const one = new EventStreamPartitions('soc:events');
    expect(one.keys).toEqual(['soc:events']);
    expect(one.keyOf('0751')).toBe('soc:events');
    expect(eventStreamPartitions({ streams: { events: 'e2e:x:events', partitions: 1 } }).keys).toEqual(['e2e:x:events']);
  });

  it('names partition N <stream>:{pN} or {pN-k}, a hash tag whose slot lies in the N-th of P equal parts of the slots', () => {
    expect(new EventStreamPartitions('soc:events', 4).keys).toEqual(['soc:events:{p0-0}', 'soc:events:{p1-2}', 'soc:events:{p2-0}', 'soc:events:{p3-2}']);
    for (let count = 2; count <= 64; count++) {
      const keys = new EventStreamPartitions('soc:events', count).keys;
      keys.forEach((key, n) => {
        const tag = partitionTag(n, count);
        expect(key).toBe(`soc:events:{${tag}}`);
        expect(tag).toMatch(new RegExp(`^p${n}(-\\d+)?$`));
        const slot = clusterSlotOf(tag);
        expect([n, slot >= Math.floor((n * 16384) / count) && slot < Math.floor(((n + 1) * 16384) / count)]).toEqual([n, true]);
      });
    }
  });

  it("computes a Redis Cluster slot as the specification's CRC16 modulo 16384", () => {
    // The specification's test vector: CRC16 of "123456789" is 0x31C3.
    expect(clusterSlotOf('123456789')).toBe(0x31c3);
    // Plain {p0} and {p1} would share the last third of the slots (one master of three).
    expect([clusterSlotOf('p0'), clusterSlotOf('p1')]).toEqual([15882, 11819]);
  });

  it('hashes a member id with 32-bit FNV-1a over its UTF-8 bytes (published test vectors) and fmix32, modulo the partitions', () => {
    expect(fnv1a32(Buffer.from(''))).toBe(0x811c9dc5);
    expect(fnv1a32(Buffer.from('a'))).toBe(0xe40c292c);
    expect(fnv1a32(Buffer.from('foobar'))).toBe(0xbf9cf968);
    expect(memberHash('foobar')).toBe(0x0c0da6dc);
    const partitions = new EventStreamPartitions('soc:events', 4);
    expect(partitions.partitionOf('foobar')).toBe(0x0c0da6dc % 4);
    expect(partitions.keyOf('foobar')).toBe(partitions.keys[0x0c0da6dc % 4]);
    // A non-ASCII id hashes its UTF-8 bytes (c3 a9), not its UTF-16 code unit (e9).
    expect(fnv1a32(Buffer.from('é'))).toBe(fnv1a32(Buffer.from([0xc3, 0xa9])));
    expect(memberHash('é')).toBe(0x8e4756c7);
  });

  it('puts every municipality on a partition and spreads the 98 over four without an empty one', () => {
    const partitions = new EventStreamPartitions('soc:events', 4);
    const counts = [0, 0, 0, 0];
    for (const { code } of municipalities) counts[partitions.partitionOf(code)]++;
    expect(counts.reduce((a, b) => a + b)).toBe(municipalities.length);
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });

  it("extends a stream name's own hash tag per partition, so its derived keys keep the name's slot and the partitions spread", () => {
    const keys = new EventStreamPartitions('soc:{events}', 4).keys;
    keys.forEach((key, n) => {
      const tag = partitionTag(n, 4, 'events:');
      expect(key).toBe(`soc:{${tag}}`);
      expect(tag).toMatch(new RegExp(`^events:p${n}(-\\d+)?$`));
      const slot = clusterSlotOf(tag);
      expect(slot >= n * 4096 && slot < (n + 1) * 4096).toBe(true);
    });
    expect(new EventStreamPartitions('{soc}:events', 1).keys).toEqual(['{soc}:events']);
    expect(new EventStreamPartitions('{soc}:events', 2).keys[0]).toMatch(/^\{soc:p0(-\d+)?\}:events$/);
  });

  it('refuses a partition count outside 1 to 64 and, when partitioned, braces that are no hash tag', () => {
    expect(() => new EventStreamPartitions('soc:events', 0)).toThrow('events stream partitions must be a whole number from 1 to 64, got 0');
    expect(() => new EventStreamPartitions('soc:events', 65)).toThrow('events stream partitions must be a whole number from 1 to 64, got 65');
    expect(() => new EventStreamPartitions('soc:events', 1.5)).toThrow('got 1.5');
    expect(new EventStreamPartitions('soc:{}events', 1).keys).toEqual(['soc:{}events']);
    expect(() => new EventStreamPartitions('soc:{}events', 2)).toThrow(
      "events stream name 'soc:{}events' has braces that are no hash tag: with 2 partitions use none, or one tag such as soc:{events}",
    );
    expect(() => new EventStreamPartitions('soc:events}', 2)).toThrow('has braces that are no hash tag');
  });
});
