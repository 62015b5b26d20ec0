import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { municipalities } from '@soc/members';
import { IndexNames } from '@soc/storage';
import { launchChromium } from './support/browser';
import { clientToken, consoleEnv, seriousAxeViolations, signInToConsole, socIssuer } from './support/console-browser';
import { E2eDeployment } from './support/deployment';
import { AppProcess, freePort } from './support/stack';

const dayAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
/** The page shows the 30 days ending 32 days ago (cells are published once final, 31 days after: docs/STATISTICS.md). */
const busyDay = dayAgo(40);
const smallDay = dayAgo(41);
const smallReason = 'fewer than 5 municipalities or withheld to protect such a cell';

/** The first `count` municipalities of a region (built-in list, kommunekode order). */
const ofRegion = (region: string, count: number) =>
  municipalities
    .filter((m) => m.region_code === region)
    .slice(0, count)
    .map((m) => m.code);

/**
 * On the busy day 25 municipalities forward failed logins from outside: 2 in Nordjylland (1081, too
 * few: withheld), 5 in Midtjylland (1082: withheld with it, the smallest complement), 7 in
 * Syddanmark, 6 in Hovedstaden and 5 in Sjælland (published); one of them above the threshold. On
 * the day before only 3 municipalities forward anything: the national cell is withheld.
 */
const busy: Record<string, string[]> = {
  '1081': ofRegion('1081', 2),
  '1082': ofRegion('1082', 5),
  '1083': ofRegion('1083', 7),
  '1084': ofRegion('1084', 6),
  '1085': ofRegion('1085', 5),
};
const attemptsOf = (code: string, i: number) => (code === '0101' ? 250 : (i % 7) + 1);

function seedEvents(names: IndexNames): unknown[] {
  const memberDays: Array<[string, string, number]> = [
    ...Object.values(busy)
      .flat()
      .map((code, i): [string, string, number] => [busyDay, code, attemptsOf(code, i)]),
    ...['0101', '0147', '0151'].map((code): [string, string, number] => [smallDay, code, 2]),
  ];
  return memberDays.flatMap(([day, id, count]) =>
    Array.from({ length: count }, (_, n) => [
      { index: { _index: names.eventsIndexFor(day) } },
      {
        '@timestamp': `${day}T10:${String(n % 60).padStart(2, '0')}:00.000Z`,
        organization: { id },
        event: { category: ['authentication'], outcome: 'failure' },
        source: { ip: '203.0.113.9' },
      },
    ]).flat(),
  );
}

/** RFC 4180 as our CSV writes it (no field here holds a comma, quote or line break). */
const csvRows = (text: string) => {
  const [header, ...lines] = text.trimEnd().split('\r\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [columns[i]!, value])));
};
const csvNumber = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/** Clicks a download button and returns the saved file's name and bytes. */
async function download(page: Page, selector: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click(selector)]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path!) };
}

/** A PNG decoded by the browser itself: its size, and how many pixels are neither white nor near it. */
async function decodedPng(page: Page, png: Buffer): Promise<{ width: number; height: number; inked: number }> {
  return page.evaluate(async (base64) => {
    const { Image, document } = globalThis as any;
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) inked += 1;
    return { width: image.naturalWidth, height: image.naturalHeight, inked };
  }, png.toString('base64'));
}

/** Figures on the map as Danish writes them (one decimal at most). */
const danish = new Intl.NumberFormat('da-DK', { maximumFractionDigits: 1 });
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface ApiCell {
  bucket: string;
  group: string;
  suppressed: boolean;
  reason?: string;
  municipalities?: number;
  attempts?: number;
  distribution?: { q1: number; median: number; q3: number };
  share_above_threshold?: number;
}

describe('console: KL reads the attack-attempt statistics as charts, regions and a map, and downloads them, in Chromium', () => {
  let deployment: E2eDeployment;
  let alerting: AppProcess;
  let consoleApp: AppProcess;
  let browser: Browser;
  let klToken: string;

  /** What the statistics API answers KL, straight (not through the console). */
  const api = async (path: string, query: Record<string, string>): Promise<{ cells: ApiCell[] }> => {
    const response = await fetch(`${alerting.url}/v1/statistics/${path}?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${klToken}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as { cells: ApiCell[] };
  };

  /** KL signed in on the statistics page (KL's home), the regions and the map loaded. */
  async function openStatistics(): Promise<{ page: Page; close(): Promise<void> }> {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'karen.kl');
    await page.waitForSelector('#statistics-rows tr', { timeout: 60_000 });
    await page.waitForSelector('#chart-regions svg', { timeout: 60_000 });
    await page.waitForSelector('#chart-map path[data-code]', { timeout: 60_000 });
    return { page, close: () => context.close() };
  }

  /** The period the page shows (its note reads "Periode: <from> – <to>"). */
  const periodOf = async (page: Page) => {
    const text = (await page.locator('#statistics form span').textContent())!;
    const [, from, to] = /(\d{4}-\d{2}-\d{2}) – (\d{4}-\d{2}-\d{2})/.exec(text)!;
    return { from: from!, to: to!, granularity: 'day' };
  };

  beforeAll(async () => {
    deployment = await E2eDeployment.create({ rules: {}, env: { OIDC_ISSUER: socIssuer, OIDC_AUDIENCE: 'soc-api', CONSOLE_PORT: String(await freePort()) } });
    const env = deployment.env;
    alerting = new AppProcess('alerting', env).start();
    consoleApp = new AppProcess('console', consoleEnv(env, { CONSOLE_ALERTING_URL: alerting.url })).start();
    [browser] = await Promise.all([launchChromium(), alerting.waitReady(), consoleApp.waitReady()]);
    // alerting is ready, so its events index template is in place for the events.
    const result = await deployment.es.bulk({ operations: seedEvents(new IndexNames(env.INDEX_PREFIX)) as any[], refresh: true });
    expect(result.errors).toBe(false);
    klToken = await clientToken('soc-automation-kl', 'soc-automation-kl-dev-secret');
  });

  afterAll(async () => {
    await browser?.close();
    await deployment?.close([consoleApp, alerting].filter(Boolean));
  });

  it('shows every chart: a withheld day hatched, the regions with the small ones withheld in words, the map with their municipalities withheld; no serious accessibility violation', async () => {
    const { page, close } = await openStatistics();
    const period = await periodOf(page);
    const regions = (await api('regions', { ...period, granularity: 'day' })).cells.filter((c) => c.bucket === busyDay);
    // What the rules withhold, as the API says: the small region and its complement.
    expect(regions.filter((c) => c.suppressed).map((c) => [c.group, c.reason])).toEqual([
      ['1081', smallReason],
      ['1082', smallReason],
    ]);

    // The time charts: the small day is drawn withheld, never as a bar or a point.
    for (const chart of ['chart-median', 'chart-share', 'chart-reporting']) {
      expect(await page.locator(`#${chart} .withheld[data-bucket="${smallDay}"]`).count()).toBe(1);
      expect(await page.locator(`#${chart} svg`).count()).toBe(1);
    }
    expect(await page.locator('#chart-median circle.median').count()).toBe(1);
    expect(await page.locator('#chart-categories svg').count()).toBe(1);

    // Regions: the busy day (the newest with figures) is chosen; each region as the API gives it.
    await expect(page.locator('#statistics-region-bucket').inputValue()).resolves.toBe(busyDay);
    for (const cell of regions) {
      const row = page.locator(`#statistics-regions tr[data-region="${cell.group}"]`);
      if (cell.suppressed) {
        await expect(row.getAttribute('data-suppressed')).resolves.toBe('true');
        await expect(row.textContent()).resolves.toContain('tilbageholdt: færre end 5 kommuner');
        await expect(page.locator(`#chart-regions .withheld[data-bucket="${cell.group}"]`).textContent()).resolves.toBe('tilbageholdt');
        expect(await page.locator(`#chart-regions [data-bucket="${cell.group}"] .bar`).count()).toBe(0);
      } else {
        const figures = await row.locator('td').allTextContents();
        const da = new Intl.NumberFormat('da-DK');
        expect(figures.slice(0, 3)).toEqual([da.format(cell.municipalities!), da.format(cell.attempts!), da.format(cell.distribution!.median)]);
        expect(await page.locator(`#chart-regions [data-bucket="${cell.group}"] .bar`).count()).toBe(1);
      }
    }

    // The map: no named figures for KL (the API answers 403), so each municipality shows its
    // region's median where the region is published, and is hatched and says so where it is not.
    await expect(page.locator('#chart-map').getAttribute('data-source')).resolves.toBe('region');
    const states = await page
      .locator('#chart-map path[data-code]')
      .evaluateAll((paths: any[]) =>
        Object.fromEntries(paths.map((p) => [p.dataset.code, { state: p.dataset.state, label: p.dataset.label, fill: p.getAttribute('fill') }])),
      );
    expect(Object.keys(states)).toHaveLength(98);
    for (const m of municipalities) {
      const cell = regions.find((c) => c.group === m.region_code)!;
      if (cell.suppressed) {
        expect({ code: m.code, ...states[m.code] }).toEqual({
          code: m.code,
          state: 'withheld',
          label: 'tilbageholdt: færre end 5 kommuner, eller for at beskytte en sådan celle',
          fill: 'url(#statistics-map-withheld)',
        });
      } else {
        expect({ code: m.code, state: states[m.code].state }).toEqual({ code: m.code, state: 'shown' });
        expect(states[m.code].label).toBe(`${danish.format(cell.distribution!.median)} forsøg pr. dag (regionens median pr. kommune)`);
      }
    }
    await expect(page.locator('#chart-map .denmark-map-legend').textContent()).resolves.toContain('tilbageholdt (for få kommuner eller ikke endelig)');
    // The map's table alternative says it in words too.
    await page.click('#chart-map details summary');
    const nordjylland = ofRegion('1081', 1)[0]!;
    await expect(page.locator(`#chart-map details tr[data-code="${nordjylland}"]`).textContent()).resolves.toContain('tilbageholdt');

    expect(await seriousAxeViolations(page)).toEqual([]);
    if (process.env.CONSOLE_SCREENSHOTS_DIR) {
      // The regions and the map alone (console-queue takes the whole page, kl-statistics.png).
      await page.locator('#chart-map details').evaluate((details: any) => (details.open = false));
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.locator('#statistics-regions-section').screenshot({ path: `${process.env.CONSOLE_SCREENSHOTS_DIR}/kl-statistics-regions-map.png` });
    }

    await page.selectOption('#language', 'en');
    await expect(page.locator('#statistics-regions tr[data-region="1081"]').textContent()).resolves.toContain('withheld: fewer than 5 municipalities');
    await expect(page.locator('#chart-regions .withheld[data-bucket="1081"]').textContent()).resolves.toBe('withheld');
    await close();
  });

  it("downloads a chart's CSV holding the API's figures, withheld rows marked, and its PNG, a picture of it", async () => {
    const { page, close } = await openStatistics();
    const period = await periodOf(page);

    // Regions of the busy day: one row per region, the API's figures, withheld ones marked with the reason.
    const regionsCsv = await download(page, '#chart-regions button[data-export="csv"]');
    expect(regionsCsv.name).toBe(`regions-${busyDay}_${period.from}_${period.to}_day.csv`);
    const regions = (await api('regions', { ...period, granularity: 'day' })).cells.filter((c) => c.bucket === busyDay);
    expect(csvRows(regionsCsv.bytes.toString('utf8'))).toEqual(
      regions.map((c) => ({
        bucket: busyDay,
        group: c.group,
        region: expect.stringMatching(/^Region /),
        suppressed: String(c.suppressed),
        reason: c.reason ?? '',
        municipalities: csvNumber(c.municipalities),
        attempts: csvNumber(c.attempts),
        median: csvNumber(c.distribution?.median),
        share_above_threshold: csvNumber(c.share_above_threshold),
      })),
    );

    // The median chart: every day of the period, the small day withheld with its reason and no figure.
    const medianCsv = await download(page, '#chart-median button[data-export="csv"]');
    const national = (await api('attempts', { ...period, granularity: 'day' })).cells;
    expect(national).toHaveLength(30);
    expect(csvRows(medianCsv.bytes.toString('utf8'))).toEqual(
      national.map((c) => ({
        bucket: c.bucket,
        suppressed: String(c.suppressed),
        reason: c.reason ?? '',
        q1: csvNumber(c.distribution?.q1),
        median: csvNumber(c.distribution?.median),
        q3: csvNumber(c.distribution?.q3),
      })),
    );
    expect(national.find((c) => c.bucket === smallDay)).toEqual({ bucket: smallDay, group: 'all', suppressed: true, reason: smallReason });
    expect(national.find((c) => c.bucket === busyDay)).toMatchObject({ suppressed: false, municipalities: 25 });

    // The regions chart as PNG: title, chart and note drawn at twice the chart's size.
    const regionsPng = await download(page, '#chart-regions button[data-export="png"]');
    expect(regionsPng.name).toBe(`regions-${busyDay}_${period.from}_${period.to}_day.png`);
    expect(regionsPng.bytes.subarray(0, 8)).toEqual(pngSignature);
    expect(regionsPng.bytes.length).toBeGreaterThan(10_000);
    const picture = await decodedPng(page, regionsPng.bytes);
    expect(picture.width).toBe((720 + 32) * 2);
    expect(picture.height).toBeGreaterThan(2 * (244 + 44));
    expect(picture.inked).toBeGreaterThan(5_000);
    // Kept beside the screenshots when they are asked for: what KL puts in a report.
    if (process.env.CONSOLE_SCREENSHOTS_DIR) writeFileSync(`${process.env.CONSOLE_SCREENSHOTS_DIR}/kl-statistics-regions-export.png`, regionsPng.bytes);

    // The map as PNG, its legend drawn under it.
    const mapPng = await download(page, '#chart-map button[data-export="png"]');
    expect(mapPng.name).toBe(`map-${busyDay}_${period.from}_${period.to}_day.png`);
    expect(mapPng.bytes.subarray(0, 8)).toEqual(pngSignature);
    const map = await decodedPng(page, mapPng.bytes);
    expect(map.width).toBe((600 + 32) * 2);
    expect(map.inked).toBeGreaterThan(50_000);
    if (process.env.CONSOLE_SCREENSHOTS_DIR) writeFileSync(`${process.env.CONSOLE_SCREENSHOTS_DIR}/kl-statistics-map-export.png`, mapPng.bytes);
    const mapCsv = await download(page, '#chart-map button[data-export="csv"]');
    const mapRows = csvRows(mapCsv.bytes.toString('utf8'));
    expect(mapRows).toHaveLength(98);
    expect(mapRows.find((r) => r.municipality === ofRegion('1081', 1)[0])).toMatchObject({
      shown: 'region',
      suppressed: 'true',
      reason: smallReason,
      attempts_per_day: '',
    });
    await close();
  });

  it('shows weeks the same way: the regions and the map of the newest week with figures, withheld weeks and regions as the API withholds them', async () => {
    const { page, close } = await openStatistics();
    await page.selectOption('#statistics-granularity', 'week');
    await page.click('#statistics form button[type="submit"]');
    // The table holds the weeks once the new answer is in.
    await page.waitForFunction(
      () => /^\d{4}-W\d{2}$/.test((globalThis as any).document.querySelector('#statistics-rows tr th')?.textContent ?? ''),
      undefined,
      {
        timeout: 60_000,
      },
    );
    const period = await periodOf(page);
    expect(await page.locator('#statistics-rows tr').count()).toBe(12);
    const week = (await api('regions', { ...period, granularity: 'week' })).cells;
    const bucket = await page.locator('#statistics-region-bucket').inputValue();
    expect(bucket).toMatch(/^\d{4}-W\d{2}$/);
    // The newest week with a published region (the busy day's week).
    expect(bucket).toBe(
      week
        .filter((c) => !c.suppressed)
        .map((c) => c.bucket)
        .sort()
        .pop(),
    );
    await page.waitForSelector(`#chart-map path[data-code]`, { timeout: 60_000 });
    await expect(page.locator('#chart-map .denmark-map-title').textContent()).resolves.toBe(`Kort: forsøg pr. kommune pr. dag, ${bucket}`);
    const da = new Intl.NumberFormat('da-DK');
    for (const cell of week.filter((c) => c.bucket === bucket)) {
      const row = page.locator(`#statistics-regions tr[data-region="${cell.group}"]`);
      const first = ofRegion(cell.group, 1)[0]!;
      const state = page.locator(`#chart-map path[data-code="${first}"]`);
      if (cell.suppressed) {
        await expect(row.textContent()).resolves.toMatch(/tilbageholdt: (færre end 5 kommuner|en dag i perioden er tilbageholdt)/);
        await expect(state.getAttribute('data-state')).resolves.toBe('withheld');
      } else {
        expect((await row.locator('td').allTextContents()).slice(0, 2)).toEqual([da.format(cell.municipalities!), da.format(cell.attempts!)]);
        await expect(state.getAttribute('data-state')).resolves.toBe('shown');
      }
    }
    expect(await seriousAxeViolations(page)).toEqual([]);
    await close();
  });

  it('colours each municipality by its own figures where the deployment publishes named figures (STATISTICS_NAME_MUNICIPALITIES=true), one without events as no data', async () => {
    const env = { ...deployment.env, ALERTING_PORT: String(await freePort()), CONSOLE_PORT: String(await freePort()), STATISTICS_NAME_MUNICIPALITIES: 'true' };
    const namingAlerting = new AppProcess('alerting', env).start();
    const namingConsole = new AppProcess('console', consoleEnv(env, { CONSOLE_ALERTING_URL: namingAlerting.url })).start();
    try {
      await Promise.all([namingAlerting.waitReady(), namingConsole.waitReady()]);
      const { context, page } = await signInToConsole(browser, namingConsole.url, 'karen.kl');
      await page.waitForSelector('#chart-map[data-source="municipality"] path[data-code]', { timeout: 60_000 });
      const states = await page
        .locator('#chart-map path[data-code]')
        .evaluateAll((paths: any[]) => Object.fromEntries(paths.map((p) => [p.dataset.code, { state: p.dataset.state, label: p.dataset.label }])));
      // København's own 250 attempts that day; Morsø (Nordjylland, withheld as a region) its own 1.
      expect(states['0101']).toEqual({ state: 'shown', label: '250 forsøg pr. dag (kommunens egne)' });
      const [first, second] = busy['1081']!;
      expect(states[first!]).toEqual({ state: 'shown', label: `${attemptsOf(first!, 0)} forsøg pr. dag (kommunens egne)` });
      expect(states[second!]).toEqual({ state: 'shown', label: `${attemptsOf(second!, 1)} forsøg pr. dag (kommunens egne)` });
      // Aalborg (0851) forwarded nothing: no data, not 0 and not withheld.
      expect(states['0851']).toEqual({ state: 'no-data', label: 'ingen data (sendte ingen hændelser)' });
      expect(Object.values(states).filter((area: any) => area.state === 'shown')).toHaveLength(25);
      // The regions stay as published: the small ones withheld.
      await expect(page.locator('#statistics-regions tr[data-region="1081"]').getAttribute('data-suppressed')).resolves.toBe('true');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await context.close();
    } finally {
      await Promise.all([namingConsole.kill(), namingAlerting.kill()]);
    }
  });

  it('offers KL no alert: no queue in the navigation, no page at its address, and the API refuses', async () => {
    const { page, close } = await openStatistics();
    expect(await page.locator('header nav a').evaluateAll((links: any[]) => links.map((a) => a.getAttribute('href')))).toEqual(['#/statistics']);
    const refused = await page.evaluate(async () => {
      const response = await fetch('/api/alerting/alerts');
      return { status: response.status, body: await response.json() };
    });
    expect(refused).toEqual({ status: 403, body: expect.objectContaining({ message: 'role kl_reporter may not use this endpoint' }) });
    await page.goto(`${consoleApp.url}/#/queue`);
    await expect(page.locator('main [role="status"]').textContent()).resolves.toBe('Siden findes ikke.');
    expect(await page.locator('#alerts, #alert-rows').count()).toBe(0);
    await close();
  });
});
