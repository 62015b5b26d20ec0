import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { TokenIssuer } from '@soc/auth';
import { IndicatorSightingsRepository, readIndicatorFeed } from '@soc/indicator-store';
import { formatImportError } from '@soc/indicators';
import { launchChromium } from './support/browser';
import { consoleEnv, screenshotIfAsked, seriousAxeViolations, signInToConsole, socIssuer } from './support/console-browser';
import { E2eDeployment } from './support/deployment';
import { AppProcess, freePort } from './support/stack';

/** Real feed files (../shared/data/threat-intel, README there). */
const threatIntel = resolve(__dirname, '../../../shared/data/threat-intel');
const poisonIvyFile = `${threatIntel}/stix21-oasis/cti-stix2-json-schemas/examples/threat-reports/poisonivy.json`;
const xoristFile = `${threatIntel}/misp-pymisp/tests/57c4445b-c548-4654-af0b-4be3950d210f.json`;
const urlhausFile = `${threatIntel}/abusech-urlhaus/urlhaus_online_sample_2000.csv`;

/** What the correlator makes of the whole file in one go: the page's parts must add up to the same. */
const wholeFileImport = (format: 'stix' | 'misp' | 'csv', file: string) => {
  const result = readIndicatorFeed(format, readFileSync(file, 'utf8'));
  return { accepted: result.indicators.length, rejections: result.errors.map(formatImportError) };
};

/** The rejections table as the page shows it: where and why, joined back as the API words them. */
const rejectionsOn = (page: Page) =>
  page.locator('#import-rejections tbody tr').evaluateAll((trs: any[]) =>
    trs.map((tr) =>
      [...tr.querySelectorAll('td')]
        .map((td: any) => td.textContent as string)
        .filter((s) => s !== '')
        .join(': '),
    ),
  );

/** Every `data-done` the progress shows, recorded in the page as it changes. */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: number[] = [];
    (globalThis as any).progressSeen = seen;
    new (globalThis as any).MutationObserver(() => {
      const done = (globalThis as any).document.querySelector('#import-progress')?.getAttribute('data-done');
      if (done !== null && done !== undefined && seen[seen.length - 1] !== Number(done)) seen.push(Number(done));
    }).observe((globalThis as any).document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-done'] });
  });
}

async function importThroughPage(page: Page, file: string): Promise<{ parts: number; accepted: number; rejected: number; seen: number[]; percent: string }> {
  await page.setInputFiles('#import-file', file);
  // Choosing a file clears the previous import's progress: record from the new one's start.
  await page.waitForSelector('#import-progress', { state: 'detached' });
  await recordProgress(page);
  await page.click('#import-start');
  await page.waitForSelector('#import-progress[data-state="done"]', { timeout: 120_000 });
  const progress = page.locator('#import-progress');
  return {
    parts: Number(await progress.getAttribute('data-parts')),
    accepted: Number(await progress.getAttribute('data-accepted')),
    rejected: Number(await progress.getAttribute('data-rejected')),
    seen: await page.evaluate(() => (globalThis as any).progressSeen as number[]),
    percent: (await page.locator('#import-bar').getAttribute('value'))!,
  };
}

describe('console: indicators (search, import with progress, revoke) in Chromium', () => {
  let deployment: E2eDeployment;
  let correlator: AppProcess;
  let consoleApp: AppProcess;
  let browser: Browser;
  let analystApi: Record<string, string>;
  const revokedValue = 'http://117.209.87.242:60905/bin.sh';
  const revokedId = 'urlhaus:3520667';
  const scratch = mkdtempSync(join(tmpdir(), 'console-indicators-'));

  beforeAll(async () => {
    deployment = await E2eDeployment.create({
      rules: {},
      env: { OIDC_ISSUER: socIssuer, OIDC_AUDIENCE: 'soc-api', CONSOLE_PORT: String(await freePort()) },
    });
    const env = deployment.env;
    correlator = new AppProcess('correlator', env).start();
    consoleApp = new AppProcess('console', consoleEnv(env, { CONSOLE_CORRELATOR_URL: correlator.url })).start();
    [browser] = await Promise.all([launchChromium(), correlator.waitReady(), consoleApp.waitReady()]);
    const issuer = new TokenIssuer(env.JWT_SECRET);
    analystApi = { authorization: `Bearer ${issuer.issue({ sub: 'e2e-analyst', role: 'soc_analyst' })}` };
  });

  afterAll(async () => {
    await browser?.close();
    await deployment?.close([consoleApp, correlator].filter(Boolean));
    rmSync(scratch, { recursive: true, force: true });
  });

  it('lets the administrator import a STIX bundle, a MISP event and a 2,000-row CSV in parts with progress to 100 %, search a value and revoke it', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'sofie.admin');
    await page.click('header nav a[href="#/indicators"]');
    await page.waitForSelector('#indicator-import');
    await expect(page.locator('#indicators-title').textContent()).resolves.toBe('Indikatorer');

    // Poison Ivy (STIX 2.1): one part; its OR patterns give one indicator per value.
    const stix = await importThroughPage(page, poisonIvyFile);
    await expect(page.locator('#import-format').inputValue()).resolves.toBe('stix');
    const stixWhole = wholeFileImport('stix', poisonIvyFile);
    expect(stix).toEqual({ parts: 1, accepted: stixWhole.accepted, rejected: stixWhole.rejections.length, seen: [0, 1], percent: '100' });
    expect(stix.accepted).toBeGreaterThan(25);
    expect(await rejectionsOn(page)).toEqual(stixWhole.rejections);

    // The CIRCL event (MISP): its filename and registry-key attributes are flagged for detection but cannot be matched.
    const misp = await importThroughPage(page, xoristFile);
    await expect(page.locator('#import-format').inputValue()).resolves.toBe('misp');
    const mispWhole = wholeFileImport('misp', xoristFile);
    expect(misp).toMatchObject({ parts: 1, accepted: mispWhole.accepted, rejected: mispWhole.rejections.length, percent: '100' });
    expect(mispWhole.rejections.length).toBeGreaterThan(0);
    expect(await rejectionsOn(page)).toEqual(mispWhole.rejections);

    // URLhaus: 2,000 rows, four parts of 500 sent one after the other; the progress passes every part.
    const csv = await importThroughPage(page, urlhausFile);
    await expect(page.locator('#import-format').inputValue()).resolves.toBe('csv');
    const csvWhole = wholeFileImport('csv', urlhausFile);
    expect(csv).toEqual({ parts: 4, accepted: csvWhole.accepted, rejected: csvWhole.rejections.length, seen: [0, 1, 2, 3, 4], percent: '100' });
    await expect(page.locator('#import-progress-text').textContent()).resolves.toBe(
      `Del 4 af 4 (100 %): ${csvWhole.accepted} accepteret, ${csvWhole.rejections.length} afvist`,
    );
    expect(csvWhole.rejections).toEqual([]);

    // The same rows with three dates spoiled, in the first, second and fourth part: the rejections
    // name the file's lines, not the parts', the same list as the correlator's importer gives for the whole file.
    const spoiled = join(scratch, 'urlhaus-spoiled.csv');
    const lines = readFileSync(urlhausFile, 'utf8').split('\n');
    for (const line of [3, 777, 2001]) lines[line - 1] = lines[line - 1]!.replace(/^("\d+"),"[^"]+"/, '$1,"yesterday"');
    writeFileSync(spoiled, lines.join('\n'));
    const spoiledCsv = await importThroughPage(page, spoiled);
    const spoiledWhole = wholeFileImport('csv', spoiled);
    expect(spoiledWhole.rejections.map((r) => r.split(':')[0])).toEqual(['line 3', 'line 777', 'line 2001']);
    expect(spoiledCsv).toEqual({ parts: 4, accepted: 1997, rejected: 3, seen: [0, 1, 2, 3, 4], percent: '100' });
    expect(await rejectionsOn(page)).toEqual(spoiledWhole.rejections);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Two members' events hit it (as the correlator records them: the same repository).
    const seenAt = Date.parse('2026-12-01T10:00:00Z');
    await new IndicatorSightingsRepository(deployment.redis, deployment.env.KEY_PREFIX).record([
      { indicatorId: revokedId, memberId: '0751', time: seenAt, count: 4 },
      { indicatorId: revokedId, memberId: '0851', time: seenAt + 3_600_000 },
    ]);

    // Search the imported value, open it, revoke it after confirming.
    await page.fill('#indicator-q', '117.209.87.242:60905');
    await page.fill('#indicator-source', 'abuse.ch URLhaus');
    await page.click('#indicator-search-submit');
    await page.waitForSelector(`#indicator-rows tr[data-id="${revokedId}"]`);
    expect(await page.locator('#indicator-rows tr').evaluateAll((trs: any[]) => trs.map((tr) => tr.dataset.id as string))).toContain(revokedId);
    await page.click(`#indicator-rows tr[data-id="${revokedId}"] button`);
    await page.waitForSelector(`#indicator-detail[data-id="${revokedId}"]`);
    await expect(page.locator('#indicator-detail [data-fact="source"]').textContent()).resolves.toBe('abuse.ch URLhaus');
    const sightings = await page
      .locator('#indicator-sightings tbody tr')
      .evaluateAll((trs: any[]) => trs.map((tr) => [...tr.children].slice(0, 2).map((cell: any) => cell.textContent as string)));
    expect(sightings).toEqual([
      ['0751', '4'],
      ['0851', '1'],
    ]);
    // The latest over the members: 0851's, an hour after 0751's.
    const lastSeen = await page.locator('#indicator-detail [data-fact="last-seen"]').textContent();
    expect(lastSeen).toContain('01.12.2026');
    expect(lastSeen).toBe(await page.locator('#indicator-sightings tbody tr:nth-child(2) td:nth-child(3)').textContent());
    await expect(page.locator('#indicator-detail-title').textContent()).resolves.toBe(`Indikator ${revokedValue}`);
    // Escape cancels the dialog and changes nothing; the second time it is confirmed.
    await page.click('#indicator-revoke');
    await page.waitForSelector('#indicator-confirm[open]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#indicator-confirm', { state: 'detached' });
    const untouched = await fetch(`${correlator.url}/v1/indicators/${encodeURIComponent(revokedId)}`, { headers: analystApi });
    expect(((await untouched.json()) as { indicator: { revoked: boolean } }).indicator.revoked).toBe(false);
    await page.click('#indicator-revoke');
    await page.waitForSelector('#indicator-confirm[open]');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.click('#indicator-confirm-yes');
    await page.waitForSelector('#indicator-detail[data-state="revoked"]');
    await expect(page.locator('#indicator-changed').textContent()).resolves.toBe(`${revokedValue} er tilbagekaldt.`);
    await expect(page.locator('#indicator-detail [data-fact="state"]').textContent()).resolves.toBe('Tilbagekaldt');
    await page.waitForSelector(`#indicator-rows tr[data-id="${revokedId}"][data-state="revoked"]`);
    await screenshotIfAsked(page, 'indicators');

    // The API says so too.
    const answer = await fetch(`${correlator.url}/v1/indicators/${encodeURIComponent(revokedId)}`, { headers: analystApi });
    const { indicator } = (await answer.json()) as { indicator: { revoked: boolean; value: string } };
    expect(indicator).toMatchObject({ revoked: true, value: revokedValue });

    // Expire a Poison Ivy indicator now (the time left empty): the page and the API say it has ended.
    const ivy = readIndicatorFeed('stix', readFileSync(poisonIvyFile, 'utf8')).indicators[0]!;
    await page.fill('#indicator-q', ivy.id);
    await page.fill('#indicator-source', '');
    await page.click('#indicator-search-submit');
    await page.waitForSelector(`#indicator-rows tr[data-id="${ivy.id}"][data-state="active"]`);
    await page.click(`#indicator-rows tr[data-id="${ivy.id}"] button`);
    await page.waitForSelector(`#indicator-detail[data-id="${ivy.id}"]`);
    await page.click('#indicator-expire');
    await page.waitForSelector('#indicator-confirm[open] #indicator-expire-at');
    const before = Date.now();
    await page.click('#indicator-confirm-yes');
    await page.waitForSelector('#indicator-detail[data-state="expired"]');
    const expired = (await (await fetch(`${correlator.url}/v1/indicators/${encodeURIComponent(ivy.id)}`, { headers: analystApi })).json()) as {
      indicator: { revoked: boolean; valid_until: string };
    };
    expect(expired.indicator.revoked).toBe(false);
    expect(Date.parse(expired.indicator.valid_until)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(expired.indicator.valid_until)).toBeLessThanOrEqual(Date.now());

    // The state filter: revoked finds it, active does not.
    await page.fill('#indicator-q', revokedId);
    await page.fill('#indicator-source', '');
    await page.selectOption('#indicator-state', 'active');
    await page.click('#indicator-search-submit');
    await page.waitForSelector('#indicator-count');
    await expect(page.locator('#indicator-count').textContent()).resolves.toContain('Ingen indikatorer matcher søgningen.');
    await page.selectOption('#indicator-state', 'revoked');
    await page.click('#indicator-search-submit');
    await page.waitForSelector(`#indicator-rows tr[data-id="${revokedId}"][data-state="revoked"]`);
    await context.close();
  });

  it('shows the analyst the set read-only, and the API refuses the analyst an import or a revocation', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.click('header nav a[href="#/indicators"]');
    await page.waitForSelector('#indicators-read-only');
    expect(await page.locator('#indicator-import').count()).toBe(0);
    await page.fill('#indicator-q', 'urlhaus:3520667');
    await page.click('#indicator-search-submit');
    await page.waitForSelector(`#indicator-rows tr[data-id="${revokedId}"]`);
    await page.click(`#indicator-rows tr[data-id="${revokedId}"] button`);
    await page.waitForSelector(`#indicator-detail[data-id="${revokedId}"]`);
    expect(await page.locator('#indicator-revoke, #indicator-expire').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.selectOption('#language', 'en');
    await expect(page.locator('#indicators-title').textContent()).resolves.toBe('Indicators');
    await expect(page.locator('#indicator-detail [data-fact="state"]').textContent()).resolves.toBe('Revoked');

    // The same requests the page would send, from the analyst's page through the console's proxy.
    const refused = await page.evaluate(async (id: string) => {
      const post = async (path: string, body?: string) => {
        const response = await fetch(`/api/correlator${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
        return [response.status, ((await response.json()) as { message: string }).message];
      };
      return [
        await post('/v1/indicators/import?format=csv', 'dst_ip,first_seen_utc\n45.137.21.66,2026-01-01 00:00:00'),
        await post(`/v1/indicators/${id}/expire`),
      ];
    }, revokedId);
    expect(refused).toEqual([
      [403, 'role soc_analyst may not use this endpoint'],
      [403, 'role soc_analyst may not use this endpoint'],
    ]);
    await context.close();
  });

  it('gives a member no indicators page, and the API refuses it the set', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'mads.aarhus');
    expect(await page.locator('header nav a[href="#/indicators"]').count()).toBe(0);
    await page.goto(`${consoleApp.url}/#/indicators`);
    await page.waitForFunction(() => (globalThis as any).document.querySelector('main')?.textContent === 'Siden findes ikke.');
    const status = await page.evaluate(async () => (await fetch('/api/correlator/v1/indicators')).status);
    expect(status).toBe(403);
    await context.close();
  });
  it("splits a STIX bundle of 600 indicators and a MISP event of 540 attributes in the page, each part keeping the identity and the event, the rejections at the file's objects", async () => {
    // Poison Ivy's 25 indicators 24 times (each copy its own ids), its identity once; the CIRCL event's 9 attributes 60 times.
    const bundle = JSON.parse(readFileSync(poisonIvyFile, 'utf8')) as { objects: Array<Record<string, unknown>> };
    const indicators = bundle.objects.filter((o) => o.type === 'indicator');
    const copies = Array.from({ length: 24 }, (_, n) =>
      indicators.map((o) => ({ ...o, id: `${String(o.id).slice(0, -4)}${String(n).padStart(4, '0')}` })),
    ).flat();
    const bigStix = join(scratch, 'poisonivy-x24.json');
    writeFileSync(bigStix, JSON.stringify({ ...bundle, objects: [...bundle.objects.filter((o) => o.type !== 'indicator'), ...copies] }));
    const event = JSON.parse(readFileSync(xoristFile, 'utf8')) as { Event: { Attribute: Array<Record<string, unknown>> } };
    const attributes = Array.from({ length: 60 }, (_, n) =>
      event.Event.Attribute.map((a) => ({ ...a, uuid: `${String(a.uuid).slice(0, -4)}${String(n).padStart(4, '0')}` })),
    ).flat();
    const bigMisp = join(scratch, 'xorist-x60.json');
    writeFileSync(bigMisp, JSON.stringify({ Event: { ...event.Event, Attribute: attributes } }));

    const { context, page } = await signInToConsole(browser, consoleApp.url, 'sofie.admin');
    await page.click('header nav a[href="#/indicators"]');
    await page.waitForSelector('#indicator-import');
    for (const [format, file] of [
      ['stix', bigStix],
      ['misp', bigMisp],
    ] as const) {
      const imported = await importThroughPage(page, file);
      const whole = wholeFileImport(format, file);
      expect(whole.rejections.length).toBeGreaterThan(50);
      expect(imported).toEqual({ parts: 2, accepted: whole.accepted, rejected: whole.rejections.length, seen: [0, 1, 2], percent: '100' });
      expect(await rejectionsOn(page)).toEqual(whole.rejections);
      // Every part carried the identity (the source) and the event (its organisation and tags).
      const last = readIndicatorFeed(format, readFileSync(file, 'utf8')).indicators.at(-1)!;
      const answer = await fetch(`${correlator.url}/v1/indicators/${encodeURIComponent(last.id)}`, { headers: analystApi });
      expect(((await answer.json()) as { indicator: unknown }).indicator).toEqual(JSON.parse(JSON.stringify(last)));
    }
    await context.close();
  });
  it('stops an import at a part the console refuses as a whole and says which, the parts before it stored and none after', async () => {
    // URLhaus rows under ids of their own, with one row of a 1.1 MB URL after the first 500: alone in
    // the second part, more than the console's 1 MiB body limit.
    const [header, ...rows] = readFileSync(urlhausFile, 'utf8').split('\n');
    const renamed = rows.slice(0, 600).map((row) => row.replace(/^"(\d+)"/, '"8$1"'));
    const giant = `"89999999","2025-04-21 12:35:06","http://45.137.21.66/${'a'.repeat(1_100_000)}","online","2025-04-21 12:35:06","malware_download","elf","https://urlhaus.abuse.ch/url/1/","e2e"`;
    const file = join(scratch, 'urlhaus-giant-row.csv');
    writeFileSync(file, [header, ...renamed.slice(0, 500), giant, ...renamed.slice(500)].join('\n'));
    const idOf = (row: string) => `urlhaus:${/^"(\d+)"/.exec(row)![1]}`;

    const { context, page } = await signInToConsole(browser, consoleApp.url, 'sofie.admin');
    await page.click('header nav a[href="#/indicators"]');
    await page.waitForSelector('#indicator-import');
    await page.setInputFiles('#import-file', file);
    await page.click('#import-start');
    await page.waitForSelector('#import-progress[data-state="failed"]', { timeout: 120_000 });
    const progress = page.locator('#import-progress');
    expect([await progress.getAttribute('data-parts'), await progress.getAttribute('data-done'), await progress.getAttribute('data-accepted')]).toEqual([
      '3',
      '1',
      '500',
    ]);
    await expect(page.locator('#import-failed').textContent()).resolves.toBe(
      'Del 2 af 3 blev afvist: the request body is larger than 1048576 bytes. De tidligere dele er gemt.',
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    const statusOf = async (id: string) => (await fetch(`${correlator.url}/v1/indicators/${encodeURIComponent(id)}`, { headers: analystApi })).status;
    expect([
      await statusOf(idOf(renamed[0]!)),
      await statusOf(idOf(renamed[499]!)),
      await statusOf('urlhaus:89999999'),
      await statusOf(idOf(renamed[500]!)),
    ]).toEqual([200, 200, 404, 404]);
    await context.close();
  });
});
