import type { Browser, Page } from 'playwright-core';
import { AlertRepository, IndexNames } from '@soc/storage';
import { seedOpenAlerts } from '../../bench/console/seed-alerts';
import { launchChromium } from './support/browser';
import { signInToConsole, socIssuer, consoleEnv } from './support/console-browser';
import { E2eDeployment } from './support/deployment';
import { AppProcess, freePort } from './support/stack';

/**
 * The queue with more alerts than one API page (500) and one table page (100): 620 open alerts
 * raised through alerting's own repository. Every alert is loaded by the cursor, the page holds
 * 100 rows, and j/k and the page buttons cross table pages (docs/CONSOLE.md, "Every alert, one
 * table page at a time").
 */
describe('console: the alert queue pages through every open alert and keeps j/k across table pages', () => {
  const count = 620;
  let deployment: E2eDeployment;
  let alerting: AppProcess;
  let consoleApp: AppProcess;
  let browser: Browser;

  const currentRow = (page: Page) =>
    page.evaluate(() => {
      const doc = (globalThis as any).document;
      return { current: doc.querySelector('#alert-rows tr[aria-current="true"]')?.id, focused: doc.activeElement?.id };
    });

  beforeAll(async () => {
    deployment = await E2eDeployment.create({ rules: {}, env: { OIDC_ISSUER: socIssuer, OIDC_AUDIENCE: 'soc-api', CONSOLE_PORT: String(await freePort()) } });
    const env = deployment.env;
    alerting = new AppProcess('alerting', env).start();
    consoleApp = new AppProcess(
      'console',
      consoleEnv(env, {
        CONSOLE_ALERTING_URL: alerting.url,
      }),
    ).start();
    [browser] = await Promise.all([launchChromium(), alerting.waitReady(), consoleApp.waitReady()]);
    // alerting is ready, so its alerts index template is in place.
    const names = new IndexNames(env.INDEX_PREFIX);
    await seedOpenAlerts(new AlertRepository(deployment.es, names), count);
    await deployment.es.indices.refresh({ index: names.alerts });
  });

  afterAll(async () => {
    await browser?.close();
    await deployment?.close([consoleApp, alerting].filter(Boolean));
  });

  it('loads all 620 alerts over two API pages, shows 100 rows at a time, and moves j/k and the focus across table pages', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.waitForFunction((n) => (globalThis as any).document.querySelector('#queue-count')?.textContent === `${n} af ${n} alarmer`, count, {
      timeout: 60_000,
    });
    await expect(page.locator('#alert-rows tr').count()).resolves.toBe(100);
    await expect(page.locator('#queue-rows').textContent()).resolves.toBe('Række 1–100 af 620');
    await expect(page.locator('#previous-page').isDisabled()).resolves.toBe(true);

    await page.focus('#alert-row-0');
    for (let i = 0; i < 99; i++) await page.keyboard.press('j');
    await expect(currentRow(page)).resolves.toEqual({ current: 'alert-row-99', focused: 'alert-row-99' });
    const lastOfFirstPage = await page.locator('#alert-row-99').getAttribute('data-alert-id');

    await page.keyboard.press('j');
    await page.waitForSelector('#alert-row-100[aria-current="true"]');
    await expect(currentRow(page)).resolves.toEqual({ current: 'alert-row-100', focused: 'alert-row-100' });
    await expect(page.locator('#queue-rows').textContent()).resolves.toBe('Række 101–200 af 620');
    await expect(page.locator('#alert-rows tr').count()).resolves.toBe(100);

    await page.keyboard.press('k');
    await page.waitForSelector('#alert-row-99[aria-current="true"]');
    await expect(currentRow(page)).resolves.toEqual({ current: 'alert-row-99', focused: 'alert-row-99' });
    await expect(page.locator('#alert-row-99').getAttribute('data-alert-id')).resolves.toBe(lastOfFirstPage);

    for (let i = 0; i < 6; i++) await page.click('#next-page');
    await expect(page.locator('#queue-rows').textContent()).resolves.toBe('Række 601–620 af 620');
    await expect(page.locator('#alert-rows tr').count()).resolves.toBe(20);
    await expect(page.locator('#next-page').isDisabled()).resolves.toBe(true);
    const ids = await page.locator('#alert-rows tr').evaluateAll((trs: any[]) => trs.map((tr) => tr.id));
    expect(ids[0]).toBe('alert-row-600');
    expect(ids[19]).toBe('alert-row-619');
    await context.close();
  });
});
