import { hrefOf, homeOf, mayOpen, navigationFor, routeOf } from './navigation';

describe('routeOf', () => {
  it('reads each page from the hash, and the href of a route reads back as the same route', () => {
    expect(routeOf('')).toEqual({ page: 'home' });
    expect(routeOf('#/')).toEqual({ page: 'home' });
    expect(routeOf('#/queue')).toEqual({ page: 'queue' });
    expect(routeOf('#/statistics')).toEqual({ page: 'statistics' });
    expect(routeOf('#/ingestion')).toEqual({ page: 'ingestion' });
    expect(routeOf('#/alerts/a%2Fb-1')).toEqual({ page: 'alert', id: 'a/b-1' });
    expect(routeOf(hrefOf({ page: 'alert', id: 'x y' }))).toEqual({ page: 'alert', id: 'x y' });
    expect(routeOf('#/elsewhere')).toEqual({ page: 'not-found' });
  });
});

describe('navigationFor', () => {
  it('gives SOC roles the queue, a member its alerts, KL the statistics only', () => {
    expect(navigationFor({ role: 'soc_analyst' }).map((i) => i.page)).toEqual(['queue', 'ingestion']);
    expect(navigationFor({ role: 'soc_admin' }).map((i) => i.page)).toEqual(['queue', 'ingestion']);
    expect(navigationFor({ role: 'member' })).toEqual([
      { page: 'queue', label: 'nav.alerts' },
      { page: 'ingestion', label: 'nav.forwarders' },
    ]);
    expect(navigationFor({ role: 'kl_reporter' }).map((i) => i.page)).toEqual(['statistics']);
    expect(homeOf({ role: 'kl_reporter' })).toBe('statistics');
  });

  it('lets KL open no alert page, and a member no statistics page', () => {
    expect(mayOpen({ role: 'kl_reporter' }, { page: 'alert', id: 'a' })).toBe(false);
    expect(mayOpen({ role: 'kl_reporter' }, { page: 'statistics' })).toBe(true);
    expect(mayOpen({ role: 'member' }, { page: 'alert', id: 'a' })).toBe(true);
    expect(mayOpen({ role: 'member' }, { page: 'statistics' })).toBe(false);
    expect(mayOpen({ role: 'member' }, { page: 'ingestion' })).toBe(true);
    expect(mayOpen({ role: 'kl_reporter' }, { page: 'ingestion' })).toBe(false);
  });
});
