import { groupBySlot, type Redis } from '@soc/redis';

/**
 * Compare-and-set of many keys in one round trip. Each key is written only if it still holds what
 * this replica read (or is still missing); keys another replica changed in between are returned
 * so the caller re-reads and recomputes them. Keys that did not conflict are written, so one
 * contended key never holds back a whole batch.
 *
 * ARGV per key: expected value ('' = missing), new value, TTL in ms ('keep' = keep the TTL).
 */
const compareAndSetScript = `
local conflicts = {}
for i, key in ipairs(KEYS) do
  local base = (i - 1) * 3
  local expected = ARGV[base + 1]
  local current = redis.call('GET', key)
  if (current == false and expected == '') or current == expected then
    if ARGV[base + 3] == 'keep' then
      redis.call('SET', key, ARGV[base + 2], 'KEEPTTL')
    else
      redis.call('SET', key, ARGV[base + 2], 'PX', ARGV[base + 3])
    end
  else
    conflicts[#conflicts + 1] = i - 1
  end
end
return conflicts
`;

/** Keys per script call: bounds how long one call holds Redis. */
const CHUNK = 500;
const MAX_ATTEMPTS = 50;

export interface KeyedWrite {
  value: string;
  /** Lifetime after this write, or 'keep' to leave the key's TTL as it is. */
  ttlMs: number | 'keep';
}

/**
 * Applies `compute` to each key atomically: MGET, compute in memory, compare-and-set, and retry
 * only the keys that lost a race. Returns whatever `compute` returned for the winning attempt of
 * each key, in the order of `keys`. `compute` returning undefined leaves the key untouched.
 *
 * On a Redis Cluster one MGET or script may only hold keys of one slot, so the keys go in groups
 * of one slot each (`groupBySlot`: their hash tag), all groups at once; on a single Redis it is
 * one group, as before.
 */
export async function updateKeys<R>(
  redis: Redis,
  keys: readonly string[],
  compute: (index: number, previous: string | null) => { write?: KeyedWrite; result: R },
): Promise<R[]> {
  const results = new Array<R>(keys.length);
  let pending = groupBySlot(keys, redis.isCluster);
  for (let attempt = 1; pending.length > 0; attempt++) {
    const contended = pending.reduce((sum, group) => sum + group.length, 0);
    if (attempt > MAX_ATTEMPTS) throw new Error(`${contended} state keys still contended after ${MAX_ATTEMPTS} attempts`);
    const conflicted = await Promise.all(pending.map((group) => updateGroup(redis, keys, group, compute, results)));
    // A group's keys share a slot, so the ones that lost a race still do.
    pending = conflicted.filter((group) => group.length > 0);
    // Contenders that retry in lockstep collide again: a few random milliseconds break the tie.
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
  }
  return results;
}

/** One attempt over keys of one slot, in chunks; returns the positions that lost a race. */
async function updateGroup<R>(
  redis: Redis,
  keys: readonly string[],
  group: readonly number[],
  compute: (index: number, previous: string | null) => { write?: KeyedWrite; result: R },
  results: R[],
): Promise<number[]> {
  const conflicted: number[] = [];
  for (let start = 0; start < group.length; start += CHUNK) {
    const chunk = group.slice(start, start + CHUNK);
    const previous = await redis.mget(...chunk.map((i) => keys[i]!));
    const writeKeys: string[] = [];
    const writeIndexes: number[] = [];
    const args: string[] = [];
    chunk.forEach((index, n) => {
      const { write, result } = compute(index, previous[n] ?? null);
      results[index] = result;
      if (!write) return;
      writeKeys.push(keys[index]!);
      writeIndexes.push(index);
      args.push(previous[n] ?? '', write.value, String(write.ttlMs));
    });
    if (writeKeys.length === 0) continue;
    const lost = await compareAndSet(redis, writeKeys, args);
    for (const position of lost) conflicted.push(writeIndexes[position]!);
  }
  return conflicted;
}

type WithScript = Redis & { socCompareAndSet?: (numKeys: number, ...args: string[]) => Promise<number[]> };

/** Sent once per connection, then run by its SHA (ioredis defineCommand uses EVALSHA). */
function compareAndSet(redis: Redis, keys: string[], args: string[]): Promise<number[]> {
  const client = redis as WithScript;
  if (!client.socCompareAndSet) client.defineCommand('socCompareAndSet', { lua: compareAndSetScript });
  return client.socCompareAndSet!(keys.length, ...keys, ...args);
}
