import type { MapCell, MapLegendEntry } from '../map/DenmarkMap';
import { municipalityCodes, municipalityName } from '../map/denmark-geometry';
import type { MemberHealth } from './collector-api';
import { parseErrorRate, recencyOf, type Recency } from './ingestion-recency';

/** A share of parse errors at or above this marks a sending municipality (docs/CONSOLE.md, "Ingestion map"). */
export const highParseErrorRate = 0.05;

/** What the map says of a municipality: its recency, or `errors` for one that sends but mostly fails to parse. */
export type IngestionMapState = Recency | 'errors';

/** Green, purple, amber, red, grey: told apart by hue and lightness; the label says the same in words. */
export const ingestionFills: Record<IngestionMapState, string> = {
  active: '#1a7f37',
  errors: '#6f3fa0',
  quiet: '#b7791f',
  silent: '#b42318',
  never: '#8c8c8c',
};

/** Silent and never first: the states to act on. */
export const ingestionStates: readonly IngestionMapState[] = ['silent', 'never', 'errors', 'quiet', 'active'];

export function ingestionStateOf(health: Pick<MemberHealth, 'last_event_at' | 'accepted' | 'parse_errors'> | undefined, now: number): IngestionMapState {
  if (!health) return 'never';
  const recency = recencyOf(health, now);
  if (recency === 'silent' || recency === 'never') return recency;
  const rate = parseErrorRate(health);
  return rate !== null && rate >= highParseErrorRate ? 'errors' : recency;
}

export interface IngestionMapTexts {
  recency(recency: Recency): string;
  /** The parse-error share in words (`null`: nothing reached a parser yet). */
  errors(rate: number | null): string;
  cell(recency: string, errors: string): string;
}

/**
 * A cell for every one of the 98 municipalities: a municipality the collector has no figures for
 * has never sent. Members that are no municipality are not on the map (the table lists them).
 */
export function ingestionCells(members: readonly MemberHealth[], now: number, texts: IngestionMapTexts): Record<string, MapCell> {
  const byId = new Map(members.map((m) => [m.member_id, m]));
  const cells: Record<string, MapCell> = {};
  for (const code of municipalityCodes) {
    const health = byId.get(code);
    const state = ingestionStateOf(health, now);
    const recency = health ? recencyOf(health, now) : 'never';
    cells[code] = {
      fill: ingestionFills[state],
      label: texts.cell(texts.recency(recency), texts.errors(health ? parseErrorRate(health) : null)),
      state,
    };
  }
  return cells;
}

/** How many municipalities are in each state, for a sentence above the map. */
export function ingestionCounts(cells: Record<string, MapCell>): Record<IngestionMapState, number> {
  const counts: Record<IngestionMapState, number> = { active: 0, errors: 0, quiet: 0, silent: 0, never: 0 };
  for (const cell of Object.values(cells)) counts[cell.state as IngestionMapState] += 1;
  return counts;
}

export function ingestionLegend(label: (state: IngestionMapState) => string): MapLegendEntry[] {
  return ingestionStates.map((state) => ({ fill: ingestionFills[state], label: label(state) }));
}

/** A member's row header in the table: the municipality's name with its kommunekode (`Aarhus (0751)`); a members-file id that is no municipality as it is. */
export function memberLabel(memberId: string): string {
  const name = municipalityName(memberId);
  return name === undefined ? memberId : `${name} (${memberId})`;
}
