import type { TextKey } from './i18n';
import type { SignedInUser } from './session';

/** The pages with an address of their own and no parameter (`#/<page>`). */
export const listPages = ['queue', 'incidents', 'campaigns', 'indicators', 'exceptions', 'ingestion', 'keys', 'webhooks', 'statistics'] as const;
export type ListPage = (typeof listPages)[number];

/** The console's pages, addressed by the URL's hash (`#/alerts/<id>`), so the server serves one page for all. */
export type Route = { page: 'home' } | { page: ListPage } | { page: 'alert'; id: string } | { page: 'campaign'; id: string } | { page: 'not-found' };

export function routeOf(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '' || path === '/') return { page: 'home' };
  const list = listPages.find((page) => path === `/${page}`);
  if (list) return { page: list };
  const alert = /^\/alerts\/([^/]+)$/.exec(path);
  if (alert) return { page: 'alert', id: decodeURIComponent(alert[1]!) };
  const campaign = /^\/campaigns\/([^/]+)$/.exec(path);
  if (campaign) return { page: 'campaign', id: decodeURIComponent(campaign[1]!) };
  return { page: 'not-found' };
}

export const hrefOf = (route: Route): string => {
  switch (route.page) {
    case 'alert':
      return `#/alerts/${encodeURIComponent(route.id)}`;
    case 'campaign':
      return `#/campaigns/${encodeURIComponent(route.id)}`;
    case 'home':
    case 'not-found':
      return '#/';
    default:
      return `#/${route.page}`;
  }
};

export interface NavItem {
  page: ListPage;
  label: TextKey;
}

/**
 * What the signed-in role may open, as the APIs allow it: alerts, incidents, campaigns,
 * indicators, exceptions, ingestion and webhook deliveries for SOC roles (every member); forwarder
 * keys for the SOC administrator (every member) and a member (its own); a member's own alerts,
 * forwarders and webhook deliveries; statistics for KL (the alerts routes answer KL 403).
 */
export function navigationFor(user: Pick<SignedInUser, 'role'>): NavItem[] {
  const soc: NavItem[] = [
    { page: 'queue', label: 'nav.queue' },
    { page: 'incidents', label: 'nav.incidents' },
    { page: 'campaigns', label: 'nav.campaigns' },
    { page: 'indicators', label: 'nav.indicators' },
    { page: 'exceptions', label: 'nav.exceptions' },
    { page: 'ingestion', label: 'nav.ingestion' },
    { page: 'webhooks', label: 'nav.webhooks' },
  ];
  switch (user.role) {
    case 'soc_admin':
      return [...soc, { page: 'keys', label: 'nav.keys' }];
    case 'soc_analyst':
      return soc;
    case 'member':
      return [
        { page: 'queue', label: 'nav.alerts' },
        { page: 'ingestion', label: 'nav.forwarders' },
        { page: 'keys', label: 'nav.keys' },
        { page: 'webhooks', label: 'nav.webhooks' },
      ];
    case 'kl_reporter':
      return [{ page: 'statistics', label: 'nav.statistics' }];
  }
}

/** The page `#/` shows: the role's first. */
export const homeOf = (user: Pick<SignedInUser, 'role'>): NavItem['page'] => navigationFor(user)[0]!.page;

/** The navigation entry a route belongs to (an alert to the queue, a campaign to the campaigns). */
export function sectionOf(route: Route): ListPage | undefined {
  if (route.page === 'alert') return 'queue';
  if (route.page === 'campaign') return 'campaigns';
  if (route.page === 'home' || route.page === 'not-found') return undefined;
  return route.page;
}

/** Whether the role may open a route (a KL reporter's `#/queue` shows "no such page" rather than a 403 from the API). */
export function mayOpen(user: Pick<SignedInUser, 'role'>, route: Route): boolean {
  const section = sectionOf(route);
  if (section === undefined) return true;
  return navigationFor(user).some((item) => item.page === section);
}
