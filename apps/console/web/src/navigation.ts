import type { TextKey } from './i18n';
import type { SignedInUser } from './session';

/** The console's pages, addressed by the URL's hash (`#/alerts/<id>`), so the server serves one page for all. */
export type Route =
  { page: 'home' } | { page: 'queue' } | { page: 'alert'; id: string } | { page: 'statistics' } | { page: 'ingestion' } | { page: 'not-found' };

export function routeOf(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '' || path === '/') return { page: 'home' };
  if (path === '/queue') return { page: 'queue' };
  if (path === '/statistics') return { page: 'statistics' };
  if (path === '/ingestion') return { page: 'ingestion' };
  const alert = /^\/alerts\/([^/]+)$/.exec(path);
  if (alert) return { page: 'alert', id: decodeURIComponent(alert[1]!) };
  return { page: 'not-found' };
}

export const hrefOf = (route: Route): string => {
  switch (route.page) {
    case 'alert':
      return `#/alerts/${encodeURIComponent(route.id)}`;
    case 'queue':
    case 'statistics':
    case 'ingestion':
      return `#/${route.page}`;
    default:
      return '#/';
  }
};

export interface NavItem {
  page: 'queue' | 'statistics' | 'ingestion';
  label: TextKey;
}

/**
 * What the signed-in role may open, as the APIs allow it: alerts for SOC roles (every member's
 * queue) and members (their own), statistics for KL (the alerts routes answer KL 403);
 * ingestion health for SOC roles (every member) and members (their own forwarders).
 */
export function navigationFor(user: Pick<SignedInUser, 'role'>): NavItem[] {
  switch (user.role) {
    case 'soc_admin':
    case 'soc_analyst':
      return [
        { page: 'queue', label: 'nav.queue' },
        { page: 'ingestion', label: 'nav.ingestion' },
      ];
    case 'member':
      return [
        { page: 'queue', label: 'nav.alerts' },
        { page: 'ingestion', label: 'nav.forwarders' },
      ];
    case 'kl_reporter':
      return [{ page: 'statistics', label: 'nav.statistics' }];
  }
}

/** The page `#/` shows: the role's first. */
export const homeOf = (user: Pick<SignedInUser, 'role'>): NavItem['page'] => navigationFor(user)[0]!.page;

/** Whether the role may open a route (a KL reporter's `#/queue` shows "no such page" rather than a 403 from the API). */
export function mayOpen(user: Pick<SignedInUser, 'role'>, route: Route): boolean {
  if (route.page === 'home' || route.page === 'not-found') return true;
  const page = route.page === 'alert' ? 'queue' : route.page;
  return navigationFor(user).some((item) => item.page === page);
}
