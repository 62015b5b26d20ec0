import type { Indicator } from './indicator.schema';

/**
 * One input record that did not become an indicator, with where it is and exactly why. Line
 * numbers are 1-based (CSV); `path` is a JSON path into the document (`objects[3].pattern`);
 * `objectId` is the STIX id or MISP attribute uuid when the record has one.
 */
export interface ImportError {
  readonly line?: number;
  readonly path?: string;
  readonly objectId?: string;
  readonly reason: string;
}

/** Importers collect every problem instead of stopping at the first one. */
export interface ImportResult {
  readonly indicators: Indicator[];
  readonly errors: ImportError[];
}

/** `line 12: reason`, `objects[3] (indicator--…): reason`. */
export function formatImportError(error: ImportError): string {
  const where: string[] = [];
  if (error.line !== undefined) where.push(`line ${error.line}`);
  if (error.path !== undefined) where.push(error.path);
  if (error.objectId !== undefined) where.push(where.length > 0 ? `(${error.objectId})` : error.objectId);
  return where.length > 0 ? `${where.join(' ')}: ${error.reason}` : error.reason;
}

/**
 * A JSON feed handed over as text or as an already parsed value: the value, or the one import
 * error that ends the import (`$: invalid JSON: …`).
 */
export function readJsonDocument(input: unknown): { ok: true; document: unknown } | { ok: false; result: ImportResult } {
  if (typeof input !== 'string') return { ok: true, document: input };
  try {
    return { ok: true, document: JSON.parse(input) };
  } catch (error) {
    return { ok: false, result: { indicators: [], errors: [{ path: '$', reason: `invalid JSON: ${(error as Error).message}` }] } };
  }
}
