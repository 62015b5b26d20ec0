import { Queue } from 'bullmq';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { detectionContributionId, detectionFingerprint, type Detection } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { launchChromium } from './support/browser';
import { E2eDeployment } from './support/deployment';
import { AppProcess, freePort, waitFor } from './support/stack';

// The Keycloak of scripts/services.sh with the realm of deploy/keycloak (docs/AUTH.md): its
// development client secret, users and passwords (user name + "-pw").
const keycloak = (process.env.KEYCLOAK_URL ?? 'http://127.0.0.1:8180').replace(/\/$/, '');
const issuer = `${keycloak}/realms/soc`;

const now = new Date().toISOString();
const detection = (member: string, attacker: string): Detection => ({
  fingerprint: detectionFingerprint('ssh-brute', member, attacker, now),
  kind: 'correlation',
  rule: { id: 'ssh-brute', title: 'SSH brute force', level: 'high', tags: [], references: [] },
  organization: { id: member },
  group_key: attacker,
  window_start: now,
  first_seen: now,
  last_seen: now,
  event_count: 1,
  event_ids: [`e-${member}`],
  observables: [{ field: 'source.ip', value: attacker }],
  detected_at: now,
});

async function providerToken(realm: string, form: Record<string, string>): Promise<string> {
  const response = await fetch(`${keycloak}/realms/${realm}/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams(form) });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token from realm ${realm}: ${JSON.stringify(body)}`);
  return body.access_token;
}

describe('console sign-in: a backend-for-frontend on the real Keycloak, apps and Chromium', () => {
  let deployment: E2eDeployment;
  let alerting: AppProcess;
  let consoleApp: AppProcess;
  let browser: Browser;
  let detections: Queue;
  let queueRedis: Redis;
  const alertIds: Record<string, string> = {};

  /** A fresh browser profile's context (its own cookies) signed in through Keycloak's own login form. */
  async function signIn(user: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${consoleApp.url}/`);
    await page.click('#login');
    await page.waitForURL(`${issuer}/**`);
    await page.fill('#username', user);
    await page.fill('#password', `${user}-pw`);
    await page.click('#kc-login');
    await page.waitForURL(`${consoleApp.url}/`);
    await page.waitForSelector('#signed-in:not([hidden])');
    return { context, page };
  }

  /** A request the page's own script could make: same origin, the browser's cookies. */
  const fetchInPage = (page: Page, path: string, method = 'GET') =>
    page.evaluate(
      async ([p, m]) => {
        const response = await fetch(p!, { method: m });
        return { status: response.status, body: (await response.json().catch(() => null)) as any };
      },
      [path, method],
    );

  const sessionCookieOf = async (context: BrowserContext) => (await context.cookies()).find((c) => c.name === 'soc_console_session');

  /** The console as a client without the page: cookies given by hand, no Origin. */
  const fromOutside = async (path: string, cookie: string, method = 'GET') => {
    const response = await fetch(`${consoleApp.url}${path}`, { method, headers: { cookie }, redirect: 'manual' });
    return { status: response.status, body: (await response.json().catch(() => null)) as any };
  };

  beforeAll(async () => {
    deployment = await E2eDeployment.create({
      rules: {},
      env: { OIDC_ISSUER: issuer, OIDC_AUDIENCE: 'soc-api', CONSOLE_PORT: String(await freePort()) },
    });
    const env = deployment.env;
    alerting = new AppProcess('alerting', env).start();
    consoleApp = new AppProcess('console', {
      ...env,
      CONSOLE_OIDC_CLIENT_SECRET: 'soc-console-dev-secret',
      CONSOLE_SESSION_PREFIX: `${env.KEY_PREFIX}:console`,
      CONSOLE_ALERTING_URL: alerting.url,
      // Nothing listens there: the proxy's answer for an API that is down.
      CONSOLE_CORRELATOR_URL: `http://127.0.0.1:${await freePort()}`,
      // Every proxied call refreshes the 300-s access token first: the refresh grant runs against
      // the real provider in every test below, not only after five minutes.
      CONSOLE_REFRESH_MARGIN_SECONDS: '300',
    }).start();
    [browser] = await Promise.all([launchChromium(), alerting.waitReady(), consoleApp.waitReady()]);
    queueRedis = createRedis(env.REDIS_URL, 'worker', 'e2e-console-detections');
    detections = new Queue(env.DETECTIONS_QUEUE, { connection: queueRedis });
    for (const d of [detection('0751', '198.51.100.7'), detection('0461', '198.51.100.9')])
      await detections.add('detection', d, { jobId: detectionContributionId(d) });
    const analyst = await providerToken('soc', {
      grant_type: 'client_credentials',
      client_id: 'soc-automation-analyst',
      client_secret: 'soc-automation-analyst-dev-secret',
    });
    await waitFor(
      async () => {
        const response = await fetch(`${alerting.url}/alerts`, { headers: { authorization: `Bearer ${analyst}` } });
        const { alerts } = (await response.json()) as { alerts?: Array<{ id: string; organization: { id: string } }> };
        for (const alert of alerts ?? []) alertIds[alert.organization.id] = alert.id;
        return alertIds['0751'] !== undefined && alertIds['0461'] !== undefined;
      },
      60_000,
      () => alerting.log,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await detections?.obliterate({ force: true });
    await detections?.close();
    queueRedis?.disconnect();
    await deployment?.close([consoleApp, alerting].filter(Boolean));
  });

  it("signs a member in through Keycloak's login form and shows only its municipality's alerts; another member's alert is not found", async () => {
    const { context, page } = await signIn('mads.aarhus');
    await expect(page.locator('#who').textContent()).resolves.toBe('Mads Madsen · Kommune (0751)');
    expect(await fetchInPage(page, '/auth/me')).toEqual({
      status: 200,
      body: expect.objectContaining({ name: 'Mads Madsen', role: 'member', member_id: '0751' }),
    });
    await page.waitForSelector('#alerts:not([hidden])');
    const rows = await page.locator('#alert-rows tr').evaluateAll((trs: any[]) => trs.map((tr) => [tr.dataset.member, tr.dataset.alertId]));
    expect(rows).toEqual([['0751', alertIds['0751']]]);
    expect((await fetchInPage(page, `/api/alerting/alerts/${alertIds['0751']}`)).status).toBe(200);
    expect(await fetchInPage(page, `/api/alerting/alerts/${alertIds['0461']}`)).toEqual({
      status: 404,
      body: { error: 'not_found', message: `no alert ${alertIds['0461']}` },
    });
    await context.close();
  });

  it('shows an analyst the alerts of both members', async () => {
    const { context, page } = await signIn('anna.analyst');
    await expect(page.locator('#who').textContent()).resolves.toBe('Anna Andersen · SOC-analytiker');
    await page.waitForSelector('#alerts:not([hidden])');
    const members = await page.locator('#alert-rows tr').evaluateAll((trs: any[]) => trs.map((tr) => tr.dataset.member).sort());
    expect(members).toEqual(['0461', '0751']);
    await context.close();
  });

  it('shows KL statistics, and the alerts route answers KL 403', async () => {
    const { context, page } = await signIn('karen.kl');
    await page.waitForSelector('#statistics:not([hidden])');
    expect(await page.locator('#statistics-rows tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#alerts').isHidden()).toBe(true);
    expect(await fetchInPage(page, '/api/alerting/alerts')).toEqual({
      status: 403,
      body: expect.objectContaining({ message: 'role kl_reporter may not use this endpoint' }),
    });
    await context.close();
  });

  it('refuses a callback this browser did not start, and one whose state does not match the sign-in it started', async () => {
    const callback = (query: string, cookie?: string) => fromOutside(`/auth/callback?${query}`, cookie ?? '');
    expect(await callback('code=stolen&state=anything')).toEqual({
      status: 400,
      body: {
        error: 'sign_in_failed',
        message: 'no sign-in is in progress in this browser (it expired after 10 minutes or was already used); start again at /auth/login',
      },
    });
    const login = await fetch(`${consoleApp.url}/auth/login`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const location = new URL(login.headers.get('location')!);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({ client_id: 'soc-console', response_type: 'code', code_challenge_method: 'S256' });
    expect(location.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const signInCookie = login.headers.getSetCookie().find((c) => c.startsWith('soc_console_sign_in='))!;
    expect(signInCookie).toMatch(/; Path=\/auth\/callback; HttpOnly; Secure; SameSite=Lax; Max-Age=600$/);
    const cookie = signInCookie.split(';')[0]!;
    expect(await callback('code=stolen&state=forged', cookie)).toEqual({
      status: 400,
      body: { error: 'sign_in_failed', message: 'the sign-in could not be completed: state mismatch' },
    });
    // Taken once: the same sign-in cannot be tried again.
    expect((await callback(`code=stolen&state=${location.searchParams.get('state')}`, cookie)).body.message).toMatch(/^no sign-in is in progress/);
  });

  it("keeps the session id in an HttpOnly, Secure, SameSite=Lax cookie and every token out of the page's reach", async () => {
    const { context, page } = await signIn('anna.analyst');
    const cookie = await sessionCookieOf(context);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    expect(cookie!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // What the page's JavaScript can read (the tests compile without the DOM's types).
    const visible = await page.evaluate(() => {
      const { document, localStorage, sessionStorage } = globalThis as any;
      return {
        cookies: document.cookie,
        storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
        html: document.documentElement.outerHTML,
      };
    });
    expect(visible.cookies).not.toContain(cookie!.value);
    // A JWT (access, refresh or ID token) starts with the base64url of '{"': none anywhere the page can read.
    for (const text of [visible.cookies, visible.storage, visible.html, JSON.stringify((await fetchInPage(page, '/auth/me')).body)])
      expect(text).not.toContain('eyJ');
    await context.close();
  });

  it('answers 401 to a tampered or unknown session id, refuses a sign-out or change that did not come from its page, 503 for an API that is down', async () => {
    const { context } = await signIn('anna.analyst');
    const { value } = (await sessionCookieOf(context))!;
    const tampered = `${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`;
    const notSignedIn = { error: 'not_signed_in', message: 'not signed in: no session, or an unknown or expired one; sign in at /auth/login' };
    for (const id of [tampered, 'x'.repeat(43), 'not-a-session']) {
      expect(await fromOutside('/auth/me', `soc_console_session=${id}`)).toEqual({ status: 401, body: notSignedIn });
      expect(await fromOutside('/api/alerting/alerts', `soc_console_session=${id}`)).toEqual({ status: 401, body: notSignedIn });
    }
    expect((await fromOutside('/api/alerting/alerts', `soc_console_session=${value}`)).status).toBe(200);
    const crossOrigin = await fetch(`${consoleApp.url}/auth/logout`, {
      method: 'POST',
      headers: { cookie: `soc_console_session=${value}`, origin: 'http://127.0.0.1:9' },
    });
    expect(crossOrigin.status).toBe(403);
    expect((await fromOutside('/api/alerting/alerts/x/comments', `soc_console_session=${value}`, 'POST')).status).toBe(403);
    expect((await fromOutside('/auth/me', `soc_console_session=${value}`)).status).toBe(200);
    expect(await fromOutside('/api/correlator/indicators', `soc_console_session=${value}`)).toEqual({
      status: 503,
      body: { error: 'unavailable', message: 'the correlator API is not reachable; retry after Retry-After seconds' },
    });
    expect(await fromOutside('/api/elsewhere/x', `soc_console_session=${value}`)).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'no API elsewhere: the console proxies alerting, correlator, collector' },
    });
    await context.close();
  });

  it('answers parallel requests of one session that each find the access token due for refresh (single-flight refresh)', async () => {
    const { context, page } = await signIn('mads.aarhus');
    const statuses = await page.evaluate(() => Promise.all(Array.from({ length: 6 }, () => fetch('/api/alerting/alerts').then((r) => r.status))));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    await context.close();
  });

  it('ends the session when the provider refuses the refresh (the person signed out at the provider itself)', async () => {
    const { context, page } = await signIn('olga.odense');
    const { value } = (await sessionCookieOf(context))!;
    // Signing out at Keycloak's own page ends this browser's provider session only (other tests' sessions of the user stay).
    await page.goto(`${issuer}/protocol/openid-connect/logout`);
    await page.click('#kc-logout');
    await page.waitForLoadState();
    const refused = await fromOutside('/api/alerting/alerts', `soc_console_session=${value}`);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('session_expired');
    expect(refused.body.message).toMatch(/^the sign-in has ended at the identity provider \(refresh refused: .+\); sign in again at \/auth\/login$/);
    expect((await fromOutside('/auth/me', `soc_console_session=${value}`)).status).toBe(401);
    await context.close();
  });

  it('signs out of the console and of the provider: the old cookie is refused and signing in asks for the password again', async () => {
    const { context, page } = await signIn('mads.aarhus');
    const { value } = (await sessionCookieOf(context))!;
    await page.click('#logout');
    await page.waitForURL(`${consoleApp.url}/`);
    await page.waitForSelector('#login:not([hidden])');
    expect(await sessionCookieOf(context)).toBeUndefined();
    expect((await fromOutside('/auth/me', `soc_console_session=${value}`)).status).toBe(401);
    expect((await fromOutside('/api/alerting/alerts', `soc_console_session=${value}`)).status).toBe(401);
    await page.click('#login');
    await page.waitForURL(`${issuer}/**`);
    await expect(page.locator('#password').isVisible()).resolves.toBe(true);
    await context.close();
  });
});
