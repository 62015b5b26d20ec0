import { Queue } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
import { detectionContributionId, detectionFingerprint, type Detection } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { launchChromium } from './support/browser';
import { clientToken, consoleEnv, screenshotIfAsked, seriousAxeViolations, signInToConsole, socIssuer } from './support/console-browser';
import { E2eDeployment } from './support/deployment';
import { AppProcess, freePort, waitFor } from './support/stack';

type Level = Detection['rule']['level'];

/** A rule's detection for one member and attacker (as in console-queue). */
function detection(member: string, attacker: string, level: Level, title: string): Detection {
  const now = new Date().toISOString();
  const ruleId = `incidents-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return {
    fingerprint: detectionFingerprint(ruleId, member, attacker, now),
    kind: 'rule',
    rule: { id: ruleId, title, level, tags: ['attack.t1110'], references: [] },
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

// A critical alert's SLA runs out within the test, so its escalation is seen on the page; a high
// one's (an hour) does not, so its countdown only counts down.
const criticalSlaSeconds = 20;

describe('console: the incident queue with SLA countdowns and escalation, and exceptions (create, expire, read-only) in Chromium', () => {
  let deployment: E2eDeployment;
  let alerting: AppProcess;
  let consoleApp: AppProcess;
  let browser: Browser;
  let detections: Queue;
  let queueRedis: Redis;
  let analystToken: string;
  const ids: Record<string, string> = {};

  const api = async (path: string): Promise<any> => (await fetch(`${alerting.url}${path}`, { headers: { authorization: `Bearer ${analystToken}` } })).json();

  /** Sends detections through the real detections queue and waits until alerting has made each an alert and queued its incident. */
  async function raise(...list: Detection[]): Promise<void> {
    for (const d of list) await detections.add('detection', d, { jobId: detectionContributionId(d) });
    await waitFor(
      async () => {
        const { alerts } = (await api('/alerts?size=500')) as { alerts?: Array<{ id: string; rule: { title: string } }> };
        for (const alert of alerts ?? []) ids[alert.rule.title] = alert.id;
        const { items } = (await api('/queues/incidents')) as { items: Array<{ alert_id: string }> };
        return list.every((d) => items.some((i) => i.alert_id === ids[d.rule.title]));
      },
      60_000,
      () => alerting.log,
    );
  }

  const incidentRows = (page: Page) =>
    page.locator('#incident-rows tr').evaluateAll((trs: any[]) =>
      trs.map((tr) => ({
        id: tr.dataset.alertId,
        member: tr.dataset.member,
        state: tr.dataset.slaState,
        level: tr.dataset.escalationLevel,
        sla: tr.querySelector('.sla')?.textContent,
      })),
    );
  const rowOf = async (page: Page, id: string) => (await incidentRows(page)).find((r) => r.id === id);
  const exceptionRows = (page: Page) =>
    page.locator('#exception-rows tr').evaluateAll((trs: any[]) => trs.map((tr) => ({ id: tr.dataset.exceptionId, state: tr.dataset.state })));
  const expectNoSeriousAxeViolations = async (page: Page) => expect(await seriousAxeViolations(page)).toEqual([]);

  beforeAll(async () => {
    deployment = await E2eDeployment.create({
      rules: {},
      env: {
        OIDC_ISSUER: socIssuer,
        OIDC_AUDIENCE: 'soc-api',
        CONSOLE_PORT: String(await freePort()),
        SLA_SECONDS: `critical=${criticalSlaSeconds},high=3600,medium=14400,low=86400,informational=259200`,
      },
    });
    const env = deployment.env;
    alerting = new AppProcess('alerting', env).start();
    consoleApp = new AppProcess('console', consoleEnv(env, { CONSOLE_ALERTING_URL: alerting.url })).start();
    [browser] = await Promise.all([launchChromium(), alerting.waitReady(), consoleApp.waitReady()]);
    queueRedis = createRedis(env.REDIS_URL, 'worker', 'e2e-console-incidents-detections');
    detections = new Queue(env.DETECTIONS_QUEUE, { connection: queueRedis });
    analystToken = await clientToken('soc-automation-analyst', 'soc-automation-analyst-dev-secret');
  });

  afterAll(async () => {
    await browser?.close();
    await detections?.obliterate({ force: true });
    await detections?.close();
    queueRedis?.disconnect();
    await deployment?.close([consoleApp, alerting].filter(Boolean));
  });

  it("shows the analyst the waiting incidents in the API's order with a countdown that ticks, then the critical one escalated and overdue", async () => {
    await raise(
      detection('0751', '198.51.100.10', 'high', 'SSH brute force'),
      detection('0461', '198.51.100.11', 'critical', 'Ransomware note written'),
      detection('0751', '198.51.100.12', 'medium', 'Password spraying'),
    );
    const critical = ids['Ransomware note written']!;
    const high = ids['SSH brute force']!;
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.goto(`${consoleApp.url}/#/incidents`);
    await page.waitForSelector(`#incident-rows tr[data-alert-id="${high}"]`);
    await expect(page.locator('h2#incidents-title').textContent()).resolves.toBe('Hændelseskø');

    // The page keeps the API's order: critical first, then high, then medium.
    const { items } = (await api('/queues/incidents')) as { items: Array<{ alert_id: string }> };
    expect((await incidentRows(page)).map((r) => r.id)).toEqual(items.map((i) => i.alert_id));
    expect((await incidentRows(page)).map((r) => r.member)).toEqual(['0461', '0751', '0751']);

    // The high alert's hour-long SLA counts down, second by second, without a reload.
    const first = (await rowOf(page, high))!;
    expect(first).toMatchObject({ state: 'on-time', level: '0', sla: expect.stringMatching(/^\d+:\d\d tilbage$/) });
    await waitFor(async () => (await rowOf(page, high))?.sla !== first.sla, 10_000);
    const later = (await rowOf(page, high))!.sla!;
    const seconds = (text: string) =>
      text
        .match(/(\d+):(\d\d)/)!
        .slice(1)
        .reduce((s, part) => s * 60 + Number(part), 0);
    expect(seconds(later)).toBeLessThan(seconds(first.sla!));
    const highRow = page.locator(`#incident-rows tr[data-alert-id="${high}"]`);
    await expect(highRow.locator('.next-escalation').textContent()).resolves.toMatch(/^Niveau 1 om \d+:\d\d$/);
    await expect(highRow.locator('.escalation').textContent()).resolves.toBe('Ikke eskaleret');

    // The critical alert's 20 s SLA runs out: overdue in words (and colour), and the SLA timer escalates it to level 1.
    await waitFor(async () => (await rowOf(page, critical))?.state === 'overdue', 60_000);
    expect((await rowOf(page, critical))!.sla).toMatch(/^Overskredet med \d+:\d\d$/);
    await waitFor(
      async () => {
        await page.click('#incidents-refresh');
        return (await rowOf(page, critical))?.level === '1';
      },
      90_000,
      () => alerting.log,
    );
    const criticalRow = page.locator(`#incident-rows tr[data-alert-id="${critical}"]`);
    await expect(criticalRow.locator('.escalation').textContent()).resolves.toBe('Niveau 1');
    expect((await api(`/alerts/${critical}`)).escalation_level).toBeGreaterThanOrEqual(1);
    await expect(criticalRow.locator('.sla').evaluate((el: any) => (globalThis as any).getComputedStyle(el).backgroundColor)).resolves.toBe('rgb(163, 0, 0)');
    await expectNoSeriousAxeViolations(page);
    await screenshotIfAsked(page, 'incident-queue');

    // From the keyboard: the rule's link opens the alert's detail.
    await page.focus(`#incident-rows tr[data-alert-id="${high}"] a`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#alert-detail #detail-rule');
    expect(new URL(page.url()).hash).toBe(`#/alerts/${high}`);
    await context.close();
  });

  it('filters the incident queue by member and speaks English', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.selectOption('#language', 'en');
    await page.goto(`${consoleApp.url}/#/incidents`);
    await page.waitForSelector('#incident-rows tr');
    await expect(page.locator('h2#incidents-title').textContent()).resolves.toBe('Incident queue');
    await page.fill('#incidents-member', '0751');
    await page.click('#incidents-apply');
    await waitFor(async () => (await incidentRows(page)).every((r) => r.member === '0751'), 30_000);
    expect((await incidentRows(page)).length).toBe(2);
    expect((await incidentRows(page))[0]!.sla).toMatch(/^\d+:\d\d:\d\d left$|^\d+:\d\d left$/);
    await context.close();
  });

  it('lets the SOC administrator create an exception (the API naming bad fields next to them) and expire it after a confirmation', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'sofie.admin');
    await page.goto(`${consoleApp.url}/#/exceptions`);
    await page.waitForSelector('#new-exception-form');
    await expect(page.locator('#exceptions-count').textContent()).resolves.toBe('Ingen undtagelser passer til filtret.');

    // No rule id, no member, and a network that is not one: the API refuses, each problem beside its field.
    await page.selectOption('#new-exception-op-0', 'cidr');
    await page.fill('#new-exception-value-0', '198.51.100.0/99');
    await page.fill('#new-exception-reason', 'Kommunens egen sårbarhedsscanner');
    await page.click('#new-exception-create');
    await page.waitForSelector('#new-exception-outcome[data-ok="false"]');
    await expect(page.locator('#new-exception-rule-error').textContent()).resolves.not.toBe('');
    await expect(page.locator('#new-exception-rule').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#new-exception-member-error').textContent()).resolves.toContain('scope.member_id');
    await expect(page.locator('#new-exception-condition-0-error').textContent()).resolves.toBe('conditions.0.value: must be a CIDR such as 192.0.2.0/24');
    await expectNoSeriousAxeViolations(page);

    await page.fill('#new-exception-rule', 'incidents-ssh-brute-force');
    await page.fill('#new-exception-member', '0751');
    await page.fill('#new-exception-value-0', '198.51.100.0/24');
    await page.click('#new-exception-add-condition');
    await page.fill('#new-exception-field-1', 'user.name');
    await page.selectOption('#new-exception-op-1', 'in');
    await page.fill('#new-exception-value-1', 'scanner, backup');
    await page.click('#new-exception-create');
    await page.waitForSelector('#new-exception-outcome[data-ok="true"]');
    const id = (await page.locator('#new-exception-outcome').textContent())!.match(/^Undtagelse (\S+) er oprettet\.$/)![1]!;
    await page.waitForSelector(`#exception-rows tr[data-exception-id="${id}"][data-state="active"]`);
    const row = page.locator(`#exception-rows tr[data-exception-id="${id}"]`);
    await expect(row.textContent()).resolves.toContain('source.ip cidr 198.51.100.0/24');
    await expect(row.textContent()).resolves.toContain('user.name in scanner, backup');
    await expect(row.textContent()).resolves.toContain('Kommune 0751');
    const { exceptions } = (await api('/exceptions')) as { exceptions: any[] };
    expect(exceptions.find((e) => e.id === id)).toMatchObject({
      rule_id: 'incidents-ssh-brute-force',
      scope: { kind: 'member', member_id: '0751' },
      conditions: [
        { field: 'source.ip', op: 'cidr', value: '198.51.100.0/24' },
        { field: 'user.name', op: 'in', values: ['scanner', 'backup'] },
      ],
      owner: 'Sofie Sørensen',
      reason: 'Kommunens egen sårbarhedsscanner',
    });
    await expectNoSeriousAxeViolations(page);
    await screenshotIfAsked(page, 'exceptions');

    // Expire asks first: cancelling leaves it active.
    await row.locator('button.expire').click();
    await page.waitForSelector('#expire-dialog[open]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#expire-dialog', { state: 'detached' });
    expect((await api('/exceptions')).exceptions.find((e: any) => e.id === id).expired_at).toBeUndefined();
    await row.locator('button.expire').click();
    await page.waitForSelector('#expire-dialog[open]');
    await expectNoSeriousAxeViolations(page);
    await page.click('#expire-confirm');
    await page.waitForSelector('#expire-dialog', { state: 'detached' });
    await expect(page.locator('#exceptions-outcome').textContent()).resolves.toBe(`Undtagelse ${id} er udløbet.`);
    // Active is the default filter: the expired one leaves it, and shows under Expired.
    await page.waitForSelector(`#exception-rows tr[data-exception-id="${id}"]`, { state: 'detached' });
    await page.selectOption('#exceptions-state', 'expired');
    await page.waitForSelector(`#exception-rows tr[data-exception-id="${id}"][data-state="expired"]`);
    await expect(page.locator(`#exception-rows tr[data-exception-id="${id}"] button.expire`).count()).resolves.toBe(0);
    const { expired_at: expiredAt } = (await api('/exceptions')).exceptions.find((e: any) => e.id === id);
    expect(expiredAt).toEqual(expect.any(String));
    // Expiring it again (a second administrator's stale page) is refused, and its expiry stays as it was.
    const again = await page.evaluate(async (exceptionId: string) => {
      const response = await fetch(`/api/alerting/exceptions/${exceptionId}/expire`, { method: 'POST' });
      return { status: response.status, body: await response.json() };
    }, id);
    expect(again).toEqual({ status: 409, body: { error: 'already_expired', message: `exception ${id} was already expired at ${expiredAt}` } });
    expect((await api('/exceptions')).exceptions.find((e: any) => e.id === id).expired_at).toBe(expiredAt);
    await context.close();
  });

  it('shows the analyst the exceptions read-only: no form, no expire button, and the API refuses an expiry through the console', async () => {
    const created = await (
      await fetch(`${alerting.url}/exceptions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await clientToken('soc-automation-analyst', 'soc-automation-analyst-dev-secret')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({}),
      })
    ).json();
    // An analyst's token cannot create one either.
    expect(created).toMatchObject({ error: 'forbidden' });

    const { context: adminContext, page: adminPage } = await signInToConsole(browser, consoleApp.url, 'sofie.admin');
    await adminPage.goto(`${consoleApp.url}/#/exceptions`);
    await adminPage.waitForSelector('#new-exception-form');
    await adminPage.fill('#new-exception-rule', 'incidents-password-spraying');
    await adminPage.click('#new-exception-scope-global');
    await adminPage.fill('#new-exception-value-0', '198.51.100.12');
    await adminPage.fill('#new-exception-reason', 'Kendt pentest hos alle kommuner');
    await adminPage.click('#new-exception-create');
    await adminPage.waitForSelector('#new-exception-outcome[data-ok="true"]');
    const id = (await adminPage.locator('#new-exception-outcome').textContent())!.match(/^Undtagelse (\S+) er oprettet\.$/)![1]!;
    await adminContext.close();

    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.goto(`${consoleApp.url}/#/exceptions`);
    await page.waitForSelector(`#exception-rows tr[data-exception-id="${id}"][data-state="active"]`);
    await expect(page.locator(`#exception-rows tr[data-exception-id="${id}"]`).textContent()).resolves.toContain('Alle kommuner');
    expect(await page.locator('#new-exception-form').count()).toBe(0);
    expect(await page.locator('button.expire').count()).toBe(0);
    await expect(page.locator('#exceptions-read-only').textContent()).resolves.toBe(
      'Du kan se undtagelserne; kun SOC-administratoren kan oprette og udløbe dem.',
    );
    await page.selectOption('#exceptions-scope', 'global');
    expect((await exceptionRows(page)).map((r) => r.id)).toEqual([id]);
    await expectNoSeriousAxeViolations(page);

    // The same request the admin's button sends, from the analyst's page through the console: refused by alerting.
    const refused = await page.evaluate(async (exceptionId: string) => {
      const response = await fetch(`/api/alerting/exceptions/${exceptionId}/expire`, { method: 'POST' });
      return { status: response.status, body: await response.json() };
    }, id);
    expect(refused).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect((await api('/exceptions')).exceptions.find((e: any) => e.id === id).expired_at).toBeUndefined();
    await context.close();
  });
});
