import type { CellFigures } from './cell-figures';

/** A municipality as the map needs it: kommunekode, name, region code. */
export interface MapMunicipality {
  code: string;
  name: string;
  region_code: string;
}

/**
 * What the map shows for one municipality in one bucket:
 * - `shown`: a figure, attempts per municipality per day: the municipality's own (`source:
 *   'municipality'`, from the named table) or its region's published median (`source: 'region'`);
 * - `withheld`: its region's cell is withheld by the suppression rules (the API's reason);
 * - `no-data`: the named table has no row for it (it forwarded nothing in the bucket).
 */
export type MapArea = { code: string; name: string; region: string } & (
  { state: 'shown'; source: 'municipality' | 'region'; value: number } | { state: 'withheld'; source: 'region'; reason: string } | { state: 'no-data' }
);

/** One row of `GET /v1/statistics/municipalities`, each figure checked (the OpenAPI document describes rows as open objects). */
export interface MunicipalityRow {
  bucket: string;
  municipality: string;
  days: number;
  attempts: number;
}

export function municipalityRowOf(row: Record<string, unknown>): MunicipalityRow | undefined {
  const { bucket, municipality, days, attempts } = row;
  if (typeof bucket !== 'string' || typeof municipality !== 'string') return undefined;
  if (typeof days !== 'number' || !(days > 0) || typeof attempts !== 'number' || !Number.isFinite(attempts)) return undefined;
  return { bucket, municipality, days, attempts };
}

/**
 * Without named figures (KL by default): every municipality takes its region's cell of the bucket,
 * coloured by the region's median only when the cell is published, withheld as the API withheld
 * it. A region the answer lacks (a SOC answer leaves out a region without data) has no data.
 */
export function areasByRegion(municipalities: readonly MapMunicipality[], regionCells: readonly CellFigures[], bucket: string): MapArea[] {
  return municipalities.map((m): MapArea => {
    const key = { code: m.code, name: m.name, region: m.region_code };
    const cell = regionCells.find((c) => c.bucket === bucket && c.group === m.region_code);
    if (!cell) return { ...key, state: 'no-data' };
    if (cell.suppressed) return { ...key, state: 'withheld', source: 'region', reason: cell.reason };
    return { ...key, state: 'shown', source: 'region', value: cell.median };
  });
}

/** With named figures (the API answered the named table): each municipality's own attempts per day in the bucket. */
export function areasByMunicipality(municipalities: readonly MapMunicipality[], rows: readonly MunicipalityRow[], bucket: string): MapArea[] {
  const own = new Map(rows.filter((r) => r.bucket === bucket).map((r) => [r.municipality, r]));
  return municipalities.map((m): MapArea => {
    const key = { code: m.code, name: m.name, region: m.region_code };
    const row = own.get(m.code);
    return row ? { ...key, state: 'shown', source: 'municipality', value: row.attempts / row.days } : { ...key, state: 'no-data' };
  });
}

/** The largest figure shown, for the colour scale's top (0 when nothing is shown). */
export const largestShown = (areas: readonly MapArea[]): number => Math.max(0, ...areas.map((a) => (a.state === 'shown' ? a.value : 0)));
