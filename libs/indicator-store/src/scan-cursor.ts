/** Redis scan cursors are unsigned 64-bit integers; a larger number is a Redis error, not an empty page. */
const maxScanCursor = 2n ** 64n - 1n;

/**
 * True for a cursor as Redis hands it out: a decimal unsigned 64-bit integer without sign,
 * spaces or leading zeros ('0' starts over). Anything else would reach Redis as its error.
 */
export function isScanCursor(cursor: string): boolean {
  return /^(0|[1-9][0-9]{0,19})$/.test(cursor) && BigInt(cursor) <= maxScanCursor;
}

/** A cursor `isScanCursor` refuses: the API answers 400 `invalid_cursor`, the CLI prints it. */
export class InvalidScanCursorError extends Error {
  constructor(cursor: string) {
    super(`cursor "${cursor.slice(0, 40)}" is not a next_cursor handed out by a previous page`);
  }
}
