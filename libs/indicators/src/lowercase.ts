// Uppercase ASCII or anything non-ASCII (whose lowercase needs the full Unicode mapping).
const needsLowercasing = /[A-Z\u0080-\uffff]/;

/**
 * `text.toLowerCase()`, but returns `text` itself when nothing would change: V8's toLowerCase
 * allocates a new string even then, and lookups run per event on mostly lowercase values.
 * (A regular-expression test measured faster than a charCodeAt loop, and allocates nothing.)
 */
export function lowercaseIfNeeded(text: string): string {
  return needsLowercasing.test(text) ? text.toLowerCase() : text;
}
