import { hrefOf, homeOf, listPages, mayOpen, navigationFor, routeOf } from './navigation';

describe('routeOf', () => {
  it('reads each page from the hash, and the href of a route reads back as the same route', () => {
    expect(routeOf('')).toEqual({ page: 'home' });
    expect(routeOf('#/')).toEqual({ page: 'home' });
    for (const page of listPages) expect(routeOf(`#/${page}`)).toEqual({ page });
    expect(routeOf('#/alerts/a%2Fb-1')).toEqual({ page: 'alert', id: 'a/b-1' });
    expect(routeOf(hrefOf({ page: 'alert', id: 'x y' }))).toEqual({ page: 'alert', id: 'x y' });
    expect(routeOf(hrefOf({ page: 'campaign', id: 'c/1' }))).toEqual({ page: 'campaign', id: 'c/1' });
    expect(routeOf('#/elsewhere')).toEqual({ page: 'not-found' });
    expect(routeOf('#/queue/x')).toEqual({ page: 'not-found' });
  });
});

describe('navigationFor', () => {
  it('gives SOC roles the SOC pages with webhook deliveries (keys for the administrator), a member its own pages, KL the statistics only', () => {
    expect(navigationFor({ role: 'soc_analyst' }).map((i) => i.page)).toEqual([
      'queue',
      'incidents',
      'campaigns',
      'indicators',
      'exceptions',
      'ingestion',
      'webhooks',
    ]);
    expect(navigationFor({ role: 'soc_admin' }).map((i) => i.page)).toEqual([
      'queue',
      'incidents',
      'campaigns',
      'indicators',
      'exceptions',
      'ingestion',
      'webhooks',
      'keys',
    ]);
    expect(navigationFor({ role: 'member' })).toEqual([
      { page: 'queue', label: 'nav.alerts' },
      { page: 'ingestion', label: 'nav.forwarders' },
      { page: 'keys', label: 'nav.keys' },
      { page: 'webhooks', label: 'nav.webhooks' },
    ]);
    expect(navigationFor({ role: 'kl_reporter' }).map((i) => i.page)).toEqual(['statistics']);
    expect(homeOf({ role: 'kl_reporter' })).toBe('statistics');
  });

  it('lets KL open no alert page, and a member no statistics, campaign, incident or indicator page', () => {
    expect(mayOpen({ role: 'kl_reporter' }, { page: 'alert', id: 'a' })).toBe(false);
    expect(mayOpen({ role: 'kl_reporter' }, { page: 'statistics' })).toBe(true);
    expect(mayOpen({ role: 'member' }, { page: 'alert', id: 'a' })).toBe(true);
    expect(mayOpen({ role: 'member' }, { page: 'statistics' })).toBe(false);
    expect(mayOpen({ role: 'member' }, { page: 'ingestion' })).toBe(true);
    expect(mayOpen({ role: 'member' }, { page: 'campaign', id: 'c' })).toBe(false);
    expect(mayOpen({ role: 'member' }, { page: 'incidents' })).toBe(false);
    expect(mayOpen({ role: 'member' }, { page: 'indicators' })).toBe(false);
    expect(mayOpen({ role: 'soc_analyst' }, { page: 'campaign', id: 'c' })).toBe(true);
    expect(mayOpen({ role: 'soc_analyst' }, { page: 'keys' })).toBe(false);
    expect(mayOpen({ role: 'soc_analyst' }, { page: 'webhooks' })).toBe(true);
    expect(mayOpen({ role: 'soc_admin' }, { page: 'webhooks' })).toBe(true);
    expect(mayOpen({ role: 'kl_reporter' }, { page: 'ingestion' })).toBe(false);
  });
});
