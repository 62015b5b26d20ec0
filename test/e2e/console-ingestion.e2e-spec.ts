import type { Browser, Page } from 'playwright-core';
import { IngestionHealthRepository } from '@soc/ingestion-health';
import { launchChromium } from './support/browser';
import { screenshotIfAsked, seriousAxeViolations, signInToConsole, socIssuer } from './support/console-browser';
import { createForwarderKey } from './support/deployment-start';
import { E2eDeployment } from './support/deployment';
import { AppProcess, freePort, waitFor } from './support/stack';

/** SSH failures as a forwarder posts them (NDJSON, one event a line). */
function sshFailures(count: number): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      '@timestamp': new Date().toISOString(),
      event: { dataset: 'linux.sshd', category: ['authentication'], outcome: 'failure' },
      source: { ip: '203.0.113.9', port: 41_000 + i },
      user: { name: `user${i}` },
      message: `Failed password for user${i} from 203.0.113.9 port ${41_000 + i} ssh2`,
    }),
  ).join('\n');
}

const rowsOf = (page: Page) =>
  page
    .locator('#ingestion-rows tr')
    .evaluateAll((trs: any[]) =>
      trs.map((tr) => ({ member: tr.dataset.member as string, recency: tr.dataset.recency as string, text: (tr.textContent as string).trim() })),
    );

const mapStates = (page: Page) =>
  page
    .locator('.denmark-map path[data-state]')
    .evaluateAll((paths: any[]) => Object.fromEntries(paths.map((p) => [p.dataset.code as string, p.dataset.state as string])));
/** Text as read, with Intl's no-break spaces (`9,1 %`) as plain ones. */
const plain = (text: string | null) => text?.replace(/\u00a0/g, ' ');
const mapTitle = async (page: Page, code: string) => plain(await page.locator(`.denmark-map path[data-code="${code}"] title`).textContent());

describe('console: ingestion health for SOC roles and a member, in Chromium', () => {
  let deployment: E2eDeployment;
  let collector: AppProcess;
  let consoleApp: AppProcess;
  let browser: Browser;

  beforeAll(async () => {
    deployment = await E2eDeployment.create({
      rules: {},
      env: { OIDC_ISSUER: socIssuer, OIDC_AUDIENCE: 'soc-api', CONSOLE_PORT: String(await freePort()) },
    });
    const env = deployment.env;
    collector = new AppProcess('collector', env).start();
    consoleApp = new AppProcess('console', {
      ...env,
      CONSOLE_OIDC_CLIENT_SECRET: 'soc-console-dev-secret',
      CONSOLE_SESSION_PREFIX: `${env.KEY_PREFIX}:console`,
      CONSOLE_COLLECTOR_URL: collector.url,
    }).start();
    [browser] = await Promise.all([launchChromium(), collector.waitReady(), consoleApp.waitReady()]);

    // Aarhus (0751) sends events now through the collector with its own forwarder key.
    const key = await createForwarderKey(env, '0751');
    const response = await fetch(`${collector.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
      body: sshFailures(20),
    });
    expect(response.status).toBe(202);
    // Aalborg (0851) last sent 40 minutes ago: its forwarder went silent; Hjørring (0860) was
    // only ever refused; Odense (0461) sends now, but half of it fails to parse. Written as the
    // collector's own flush writes them (the same repository), since a test cannot wait 15
    // minutes. Odense's last event is after Aarhus's, so the order is the page's.
    const old = Date.now() - 40 * 60_000;
    await new IngestionHealthRepository(deployment.redis, env.KEY_PREFIX).add(
      new Map([
        ['0851', { accepted: 50, parseErrors: 5, unparsed: 0, refused: { rate_limited: 3 }, acceptedByMinute: new Map(), lastEventMs: old }],
        ['0860', { accepted: 0, parseErrors: 0, unparsed: 0, refused: { unauthenticated: 4 }, acceptedByMinute: new Map(), lastEventMs: 0 }],
        ['0461', { accepted: 10, parseErrors: 10, unparsed: 0, refused: {}, acceptedByMinute: new Map(), lastEventMs: Date.now() }],
      ]),
    );
    // The collector flushes its counts every second: wait until the API has Aarhus's events.
    await waitFor(
      async () => {
        const health = await fetch(`${collector.url}/v1/ingestion/health`, { headers: { authorization: `ApiKey ${key}` } });
        const { members } = (await health.json()) as { members: Array<{ accepted: number }> };
        return members[0]?.accepted === 20;
      },
      30_000,
      () => collector.log,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await deployment?.close([consoleApp, collector].filter(Boolean));
  });

  it('shows an analyst every member, the one that never sent and the silent one first, labelled in words, the active one last, with no serious accessibility violation', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.click('header nav a[href="#/ingestion"]');
    await page.waitForSelector('#ingestion-rows tr');
    const rows = await rowsOf(page);
    expect(rows.map((r) => [r.member, r.recency])).toEqual([
      ['0860', 'never'],
      ['0851', 'silent'],
      ['0751', 'active'],
      ['0461', 'active'],
    ]);
    // Each row is headed by the municipality's name with its kommunekode.
    expect(await page.locator('#ingestion-rows th[scope="row"]').allTextContents()).toEqual([
      'Hjørring (0860)',
      'Aalborg (0851)',
      'Aarhus (0751)',
      'Odense (0461)',
    ]);
    expect(rows[0]!.text).toContain('Aldrig sendt');
    expect(rows[0]!.text).toContain('unauthenticated: 4');
    expect(rows[1]!.text).toContain('Tavs (> 15 min)');
    expect(rows[1]!.text).toContain('rate_limited: 3');
    expect(rows[1]!.text).toMatch(/9,1\s?%\s\(5\)/); // 5 parse errors of 55 events, written the Danish way
    expect(rows[2]!.text).toContain('Aktiv (≤ 5 min)');
    await expect(page.locator('#ingestion-title').textContent()).resolves.toBe('Indsamling');

    // The map: all 98 municipalities, the silent and never-sending ones seen at a glance, in
    // colour and in words; one the collector has no figures for has never sent.
    await page.waitForSelector('.denmark-map svg path[data-code="0751"]');
    const states = await mapStates(page);
    expect(Object.keys(states)).toHaveLength(98);
    expect([states['0751'], states['0851'], states['0860'], states['0461'], states['0101']]).toEqual(['active', 'silent', 'never', 'errors', 'never']);
    await expect(mapTitle(page, '0851')).resolves.toBe('Aalborg: Tavs (> 15 min); fortolkningsfejl 9,1 %');
    await expect(mapTitle(page, '0461')).resolves.toBe('Odense: Aktiv (≤ 5 min); fortolkningsfejl 50 %');
    await expect(mapTitle(page, '0101')).resolves.toBe('København: Aldrig sendt; ingen hændelser fortolket');
    const legend = await page.locator('.denmark-map-legend li').allTextContents();
    expect(legend.map((l) => plain(l.trim()))).toEqual([
      'Tavs (> 15 min)',
      'Aldrig sendt',
      'Sender, men mange fortolkningsfejl (≥ 5 %)',
      'Stille (5–15 min)',
      'Aktiv (≤ 5 min), få fortolkningsfejl',
    ]);
    await expect(page.locator('#ingestion-map-counts').textContent().then(plain)).resolves.toBe(
      'Tavs (> 15 min): 1 · Aldrig sendt: 95 · Sender, men mange fortolkningsfejl (≥ 5 %): 1 · Aktiv (≤ 5 min), få fortolkningsfejl: 1',
    );
    await expect(page.locator('.denmark-map-credit').textContent()).resolves.toContain('Klimadatastyrelsen');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotIfAsked(page, 'ingestion');
    // The map's table alternative names every municipality with the same words.
    await page.click('.denmark-map-table summary');
    await expect(page.locator('.denmark-map-table tr[data-code="0851"] td').textContent().then(plain)).resolves.toBe('Tavs (> 15 min); fortolkningsfejl 9,1 %');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.selectOption('#language', 'en');
    await expect(page.locator('#ingestion-title').textContent()).resolves.toBe('Ingestion');
    expect((await rowsOf(page))[1]!.text).toContain('Silent (> 15 min)');
    await expect(mapTitle(page, '0851')).resolves.toBe('Aalborg: Silent (> 15 min); parse errors 9.1%');
    await context.close();
  });

  it("shows a member only its own forwarders' health, no map of the others, and a link to its forwarder keys", async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'mads.aarhus');
    await page.click('header nav a[href="#/ingestion"]');
    await page.waitForSelector('#ingestion-rows tr');
    const rows = await rowsOf(page);
    expect(rows.map((r) => [r.member, r.recency])).toEqual([['0751', 'active']]);
    expect(rows[0]!.text).toContain('Ingen'); // no refusals
    await expect(page.locator('#ingestion-title').textContent()).resolves.toBe('Kommunens forwardere');
    await expect(page.locator('.denmark-map').count()).resolves.toBe(0);
    await expect(page.locator('#forwarder-keys-note').textContent()).resolves.toContain('udsteder, roterer og tilbagekalder selv');
    await page.click('#forwarder-keys-link');
    await page.waitForFunction(() => (globalThis as any).location.hash === '#/keys');
    await page.goBack();
    await page.waitForSelector('#ingestion-rows tr');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotIfAsked(page, 'member-forwarders');
    await context.close();
  });
});
