/**
 * The events stream split into partitions (EVENTS_STREAM_PARTITIONS, docs/SCALING.md "Partitioned
 * events stream"): one Redis stream key per partition, each with its own consumer groups.
 *
 * Key names: with one partition the stream keeps its configured name, so a single box and an
 * upgrade see the same key as before. With P > 1, partition N (0 … P-1) gets a Redis Cluster hash
 * tag of its own: `<EVENTS_STREAM>:{pN}` for a name without a tag (`soc:events:{p2}`), and for a
 * name with one, its tag extended (`soc:{events}` → `soc:{events:p2}`), because the first tag of a
 * key is the one Redis hashes, and the name's tag stays for the keys derived from the name (dead
 * letters, their counts), which are written together. `pN` is used when its slot lies in the N-th
 * of P equal parts of the 16384 slots, else `pN-k` with the smallest k that does: a cluster
 * created with `redis-cli --cluster create` gives each master one contiguous, equal slot range, so
 * P partitions spread over the masters as evenly as P allows (plain `p0`, `p1` would not: they hash
 * to slots 15882 and 11819, both on the third of three masters). The name keeps two deployments on
 * one Redis apart. The tag is part of the name on a single Redis too (where it changes nothing),
 * so the keys do not move when a deployment moves to a cluster.
 *
 * Which partition a member writes to: `memberHash(id) mod P`, where `memberHash` is FNV-1a (32 bit)
 * of the member id's UTF-8 bytes followed by MurmurHash3's 32-bit finaliser (fmix32). Stable across
 * processes, versions and languages; every event of a member goes to one partition, so a member's
 * entries keep their order within it. The finaliser is needed: FNV-1a's low bits depend only on the
 * low bits of each byte, so without it ids such as 0101, 0202 … 0909 fell in two of four partitions.
 */
export class EventStreamPartitions {
  /** Every partition's stream key, partition 0 first. */
  readonly keys: readonly string[];

  constructor(
    /** The configured stream name (EVENTS_STREAM); dead-letter and other derived keys hang off it. */
    readonly base: string,
    readonly count = 1,
  ) {
    if (!Number.isInteger(count) || count < 1 || count > maxPartitions) {
      throw new Error(`events stream partitions must be a whole number from 1 to ${maxPartitions}, got ${count}`);
    }
    const tag = hashTagOf(base);
    if (count > 1 && tag === undefined && /[{}]/.test(base)) {
      throw new Error(`events stream name '${base}' has braces that are no hash tag: with ${count} partitions use none, or one tag such as soc:{events}`);
    }
    this.keys =
      count === 1
        ? [base]
        : Array.from({ length: count }, (_, n) =>
            tag === undefined
              ? `${base}:{${partitionTag(n, count)}}`
              : `${base.slice(0, tag.open)}{${partitionTag(n, count, `${tag.content}:`)}}${base.slice(tag.close + 1)}`,
          );
  }

  /** The partition a member's events go to. */
  partitionOf(memberId: string): number {
    return this.count === 1 ? 0 : memberHash(memberId) % this.count;
  }

  /** The stream key a member's events go to. */
  keyOf(memberId: string): string {
    return this.keys[this.partitionOf(memberId)];
  }
}

/** More partitions than this would mean more reading connections per consumer than Redis should hold. */
export const maxPartitions = 64;

/** The first hash tag of a key as Redis Cluster finds it: the first `{`, the first `}` after it, something between. */
function hashTagOf(key: string): { open: number; close: number; content: string } | undefined {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  if (close < 0 || close === open + 1) return undefined;
  return { open, close, content: key.slice(open + 1, close) };
}

/**
 * The hash tag of partition `n` of `count`: `<prefix>pN`, or `<prefix>pN-k`, whose slot lies in the
 * partition's share of the slots (`prefix`: the stream name's own tag and a colon, or nothing).
 */
export function partitionTag(n: number, count: number, prefix = ''): string {
  const from = Math.floor((n * clusterSlots) / count);
  const to = Math.floor(((n + 1) * clusterSlots) / count);
  const fits = (tag: string) => {
    const slot = clusterSlotOf(tag);
    return slot >= from && slot < to;
  };
  if (fits(`${prefix}p${n}`)) return `${prefix}p${n}`;
  // CRC16 spreads short strings evenly: about `count` tries find one.
  for (let k = 0; ; k++) if (fits(`${prefix}p${n}-${k}`)) return `${prefix}p${n}-${k}`;
}

const clusterSlots = 16384;

/**
 * The Redis Cluster slot of a hash tag (or of a key without one): CRC16 (XMODEM: polynomial 0x1021,
 * initial value 0) of its bytes, modulo 16384, as the Redis Cluster specification defines it.
 */
export function clusterSlotOf(tag: string): number {
  let crc = 0;
  for (const byte of Buffer.from(tag, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % clusterSlots;
}

/** The hash that places a member on a partition: FNV-1a of the id's UTF-8 bytes, then fmix32. */
export function memberHash(memberId: string): number {
  return fmix32(fnv1a32(Buffer.from(memberId, 'utf8')));
}

/** FNV-1a, 32 bit (offset basis 2166136261, prime 16777619). */
export function fnv1a32(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's 32-bit finaliser: every input bit reaches every output bit. */
function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The events stream's partitions as a deployment configures them (EVENTS_STREAM, EVENTS_STREAM_PARTITIONS). */
export function eventStreamPartitions(config: { streams: { events: string; partitions: number } }): EventStreamPartitions {
  return new EventStreamPartitions(config.streams.events, config.streams.partitions);
}
