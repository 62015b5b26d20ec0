/** A plain JSON object (not null, not an array): what importers expect each record to be. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
