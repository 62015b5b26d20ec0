/**
 * Key layout on Redis Cluster (docs/SCALING.md "Redis Cluster"). A cluster puts each key in one of
 * 16384 slots by the CRC16 of its hash tag (the first non-empty `{…}`) or, without one, of the whole
 * key; a MULTI, pipeline, MGET or script may only touch keys of one slot. So keys one operation
 * touches together share a tag, and everything else is spread.
 *
 * On a single Redis the names stay as they were before cluster support (nothing moves on upgrade):
 * every helper here takes `cluster` (the client's `isCluster`) and adds tags only on a cluster.
 */

/** The part of a key Redis Cluster hashes: the first `{…}` with something inside, else the whole key. */
export function slotKeyOf(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  if (close < 0 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

/**
 * Positions of `keys` grouped so that each group lies in one slot (same `slotKeyOf`), in first-seen
 * order; on a single Redis one group holds them all. One MGET, script or pipeline per group is then
 * legal on a cluster.
 */
export function groupBySlot(keys: readonly string[], cluster: boolean): number[][] {
  if (!cluster) return keys.length === 0 ? [] : [keys.map((_, index) => index)];
  const groups = new Map<string, number[]>();
  keys.forEach((key, index) => {
    const slotKey = slotKeyOf(key);
    const group = groups.get(slotKey);
    if (group) group.push(index);
    else groups.set(slotKey, [index]);
  });
  return [...groups.values()];
}

/**
 * The base of a key family whose keys are used together (a MULTI over a hash and its change log, a
 * script over a set and its counter): `<prefix>:<family>` on a single Redis, `<prefix>:{<family>}` on a
 * cluster, so every `<base>:…` key of the family shares one slot and different families spread.
 */
export function familyKey(prefix: string, family: string, cluster: boolean): string {
  return cluster ? `${prefix}:{${family}}` : `${prefix}:${family}`;
}

/**
 * A hash tag spreading per-item keys (one correlation window, one campaign) over the slots: eight
 * hex digits of the FNV-1a hash of `value`. Short, even, and free of `}` whatever the value holds
 * (group values come from log lines).
 */
export function spreadTag(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `{${(hash >>> 0).toString(16).padStart(8, '0')}}`;
}
