import type { QueueFilters } from './queue-order';

/** A named set of the queue's filters, kept in this browser. */
export interface SavedView {
  name: string;
  filters: QueueFilters;
}

export const savedViewsStorageKey = 'soc-console.views';
export const maxSavedViews = 20;

const statuses = ['open', '', 'new', 'acknowledged', 'in_progress', 'resolved', 'false_positive', 'duplicate'];
const severities = ['', 'informational', 'low', 'medium', 'high', 'critical'];

const isFilters = (value: unknown): value is QueueFilters => {
  const f = value as Record<string, unknown> | null;
  return (
    typeof f === 'object' &&
    f !== null &&
    statuses.includes(f.status as string) &&
    severities.includes(f.severity as string) &&
    typeof f.member === 'string' &&
    typeof f.q === 'string'
  );
};

/** The views stored in the browser; anything stored that is not a view (an older shape, a hand edit) is left out. */
export function parseSavedViews(stored: string | null): SavedView[] {
  let value: unknown;
  try {
    value = JSON.parse(stored ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value
    .filter((v): v is SavedView => typeof v === 'object' && v !== null && typeof v.name === 'string' && v.name.trim() !== '' && isFilters(v.filters))
    .slice(0, maxSavedViews);
}

/** The views with `view` saved: a view of the same name is replaced, the newest first, at most `maxSavedViews`. */
export function withSavedView(views: readonly SavedView[], view: SavedView): SavedView[] {
  const name = view.name.trim();
  return [{ name, filters: view.filters }, ...views.filter((v) => v.name !== name)].slice(0, maxSavedViews);
}
