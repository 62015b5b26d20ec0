/**
 * A plain JSON object under construction. Parsers build ECS documents with these helpers so
 * that keys coming from the input (structured-data ids, CEF keys, Windows field names) can never
 * reach `Object.prototype`.
 */
export type EcsObject = { [key: string]: unknown };

export function isPlainObject(value: unknown): value is EcsObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Sets an own property even for `__proto__`, which a plain assignment would treat as the prototype. */
export function assignField(target: EcsObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function ownValue(target: EcsObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined;
}

/**
 * Deep-merges `patch` into `target` (in place) and returns `target`. Objects merge, everything
 * else (arrays included) is replaced; `undefined` in the patch leaves the target untouched.
 */
export function mergeEcsFields(target: EcsObject, patch: EcsObject): EcsObject {
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === undefined) continue;
    const existing = ownValue(target, key);
    if (isPlainObject(value) && isPlainObject(existing)) {
      mergeEcsFields(existing, value);
    } else if (isPlainObject(value)) {
      assignField(target, key, mergeEcsFields({}, value));
    } else {
      assignField(target, key, value);
    }
  }
  return target;
}

/**
 * `mergeEcsFields` for a patch built by this library for this one merge and dropped afterwards
 * (a program-message extractor's result): objects the target does not have yet are moved in
 * rather than copied, which saves an allocation per object per line. A copy leaves out
 * `undefined` values and gives every object the plain prototype, so an object is moved only
 * where that makes no difference.
 */
export function mergeFreshEcsFields(target: EcsObject, patch: EcsObject): EcsObject {
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === undefined) continue;
    if (!isPlainObject(value)) {
      assignField(target, key, value);
      continue;
    }
    const existing = ownValue(target, key);
    if (isPlainObject(existing)) mergeFreshEcsFields(existing, value);
    else assignField(target, key, isMovable(value) ? value : mergeEcsFields({}, value));
  }
  return target;
}

/** True when a copy by `mergeEcsFields` would be indistinguishable from `value` itself. */
function isMovable(value: EcsObject): boolean {
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  // `for...in` also visits inherited enumerable keys: that can only make the answer `false`.
  for (const key in value) {
    const inner = value[key];
    if (inner === undefined || (isPlainObject(inner) && !isMovable(inner))) return false;
  }
  return true;
}

/**
 * Looks `key` up in a lookup table keyed by input text. Plain indexing would answer
 * `constructor` or `__proto__` from `Object.prototype`.
 */
export function lookup<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
