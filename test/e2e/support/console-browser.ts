import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';

// The Keycloak of scripts/services.sh with the realm of deploy/keycloak (docs/AUTH.md): users'
// passwords are the user name + "-pw".
export const keycloakUrl = (process.env.KEYCLOAK_URL ?? 'http://127.0.0.1:8180').replace(/\/$/, '');
export const socIssuer = `${keycloakUrl}/realms/soc`;

/**
 * The console's environment in an e2e deployment: the realm's development client secret, sessions
 * under the deployment's key prefix, and the upstream APIs (and any other setting) the test gives.
 */
export function consoleEnv(env: Record<string, string>, settings: Record<string, string>): Record<string, string> {
  return { ...env, CONSOLE_OIDC_CLIENT_SECRET: 'soc-console-dev-secret', CONSOLE_SESSION_PREFIX: `${env.KEY_PREFIX}:console`, ...settings };
}

/** A token of one of the realm's client-credentials clients (docs/AUTH.md, "Clients"), for checking through the API what the page did. */
export async function clientToken(clientId: string, secret: string): Promise<string> {
  const response = await fetch(`${socIssuer}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token for ${clientId}: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A fresh browser context (its own cookies) signed in to the console through Keycloak's own login form, as in console-sign-in. */
export async function signInToConsole(browser: Browser, consoleUrl: string, user: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${consoleUrl}/`);
  await page.click('#login');
  await page.waitForURL(`${socIssuer}/**`);
  await page.fill('#username', user);
  await page.fill('#password', `${user}-pw`);
  await page.click('#kc-login');
  await page.waitForURL(`${consoleUrl}/`);
  await page.waitForSelector('#signed-in');
  return { context, page };
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core on the page as it stands, WCAG 2.0/2.1 A and AA rules: the serious and critical
 * violations (each with the selectors of its nodes). axe's source is evaluated through the
 * DevTools protocol, which the console's Content-Security-Policy (no inline scripts) does not stop.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as any).axe;
    const result = await axe.run((globalThis as any).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return (result.violations as any[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: (v.nodes as any[]).map((n) => String(n.target)) }));
  });
}

/**
 * With `CONSOLE_SCREENSHOTS_DIR` set (e.g. `docs/console`), the page as it stands, full length, as
 * `<dir>/<name>.png`: how the README's screenshots are taken (docs/CONSOLE.md, "Screenshots").
 */
export async function screenshotIfAsked(page: Page, name: string): Promise<void> {
  const dir = process.env.CONSOLE_SCREENSHOTS_DIR;
  if (!dir) return;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}
