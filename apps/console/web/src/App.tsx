import { useEffect, useState } from 'react';
import { CampaignPage } from './campaigns/CampaignPage';
import { CampaignsPage } from './campaigns/CampaignsPage';
import { AlertDetail } from './detail/AlertDetail';
import { ExceptionsPage } from './exceptions/ExceptionsPage';
import { IncidentsPage } from './incidents/IncidentsPage';
import { IndicatorsPage } from './indicators/IndicatorsPage';
import { IngestionPage } from './ingestion/IngestionPage';
import { languages, type Language } from './i18n';
import { useLanguage } from './language';
import { KeysPage } from './keys/KeysPage';
import { homeOf, hrefOf, mayOpen, navigationFor, routeOf, sectionOf, type Route } from './navigation';
import { AlertQueue } from './queue/AlertQueue';
import { signedInUser, type SignedInUser } from './session';
import { StatisticsPage } from './statistics/StatisticsPage';
import { WebhooksPage } from './webhooks/WebhooksPage';

type SessionState = { state: 'loading' } | { state: 'signed-out' } | { state: 'signed-in'; user: SignedInUser } | { state: 'failed'; message: string };

function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location.hash));
  useEffect(() => {
    const changed = () => setRoute(routeOf(location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

/** The page frame: who is signed in, sign-out, language, the role's navigation, and the current page. */
export function App() {
  const { t, language, setLanguage } = useLanguage();
  const [session, setSession] = useState<SessionState>({ state: 'loading' });
  const route = useRoute();

  useEffect(() => {
    signedInUser().then(
      (user) => setSession(user ? { state: 'signed-in', user } : { state: 'signed-out' }),
      (error: Error) => setSession({ state: 'failed', message: error.message }),
    );
  }, []);

  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  const user = session.state === 'signed-in' ? session.user : undefined;
  const page = user && route.page === 'home' ? ({ page: homeOf(user) } as Route) : route;

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <h1 className="brand">{t('app.title')}</h1>
        {user && (
          <nav aria-label={t('app.mainNav')}>
            <ul>
              {navigationFor(user).map((item) => (
                <li key={item.page}>
                  <a href={hrefOf({ page: item.page })} aria-current={sectionOf(page) === item.page ? 'page' : undefined}>
                    {t(item.label)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div className="top-tools">
          <label className="language">
            {t('app.language')}{' '}
            <select id="language" value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
              {languages.map((l) => (
                <option key={l} value={l}>
                  {l === 'da' ? 'Dansk' : 'English'}
                </option>
              ))}
            </select>
          </label>
          {user && (
            <div id="signed-in" data-role={user.role}>
              <span id="who" data-role={user.role}>
                {user.name} · {t(`role.${user.role}`)}
                {user.member_id ? ` (${user.member_id})` : ''}
              </span>{' '}
              <form method="post" action="/auth/logout" className="inline">
                <button type="submit" id="logout">
                  {t('app.logout')}
                </button>
              </form>
            </div>
          )}
          {session.state === 'signed-out' && (
            <a id="login" className="button" href="/auth/login">
              {t('app.login')}
            </a>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {session.state === 'loading' && <p role="status">{t('app.loading')}</p>}
        {session.state === 'failed' && (
          <p role="alert" className="error">
            {t('app.error', { message: session.message })}
          </p>
        )}
        {session.state === 'signed-out' && <p role="status">{t('app.notSignedIn')}</p>}
        {user && <Page user={user} route={page} />}
      </main>
    </>
  );
}

function Page({ user, route }: { user: SignedInUser; route: Route }) {
  const { t } = useLanguage();
  if (!mayOpen(user, route) || route.page === 'not-found' || route.page === 'home') return <p role="status">{t('app.notFound')}</p>;
  switch (route.page) {
    case 'queue':
      return <AlertQueue user={user} />;
    case 'alert':
      return <AlertDetail key={route.id} id={route.id} user={user} />;
    case 'statistics':
      return <StatisticsPage />;
    case 'ingestion':
      return <IngestionPage user={user} />;
    case 'incidents':
      return <IncidentsPage user={user} />;
    case 'campaigns':
      return <CampaignsPage user={user} />;
    case 'campaign':
      return <CampaignPage key={route.id} id={route.id} user={user} />;
    case 'indicators':
      return <IndicatorsPage user={user} />;
    case 'exceptions':
      return <ExceptionsPage user={user} />;
    case 'keys':
      return <KeysPage user={user} />;
    case 'webhooks':
      return <WebhooksPage user={user} />;
  }
}
