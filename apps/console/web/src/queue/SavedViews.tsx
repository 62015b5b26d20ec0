import { useState, type FormEvent } from 'react';
import { useLanguage } from '../language';
import type { QueueFilters } from './queue-order';
import { parseSavedViews, savedViewsStorageKey, withSavedView, type SavedView } from './saved-views';

function storedViews(): SavedView[] {
  try {
    return parseSavedViews(localStorage.getItem(savedViewsStorageKey));
  } catch {
    return [];
  }
}

/** Saved views: the queue's current filters kept under a name in this browser, and applied again with one button. */
export function SavedViews({ current, onApply }: { current: QueueFilters; onApply(filters: QueueFilters): void }) {
  const { t } = useLanguage();
  const [views, setViews] = useState(storedViews);
  const [name, setName] = useState('');
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    const next = withSavedView(views, { name, filters: current });
    setViews(next);
    setName('');
    try {
      localStorage.setItem(savedViewsStorageKey, JSON.stringify(next));
    } catch {
      // Storage refused (private mode): the view lasts for this page only.
    }
  };
  return (
    <div className="saved-views">
      {views.length > 0 && (
        <nav aria-label={t('views.title')}>
          <span>{t('views.title')}:</span>{' '}
          <ul id="saved-views">
            {views.map((view) => (
              <li key={view.name}>
                <button type="button" className="secondary" onClick={() => onApply(view.filters)}>
                  {view.name}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <form onSubmit={save} className="save-view">
        <label>
          {t('views.name')} <input id="view-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />
        </label>{' '}
        <button type="submit" id="view-save" className="secondary">
          {t('views.save')}
        </button>
      </form>
    </div>
  );
}
