import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { campaignRuleRef } from '@soc/correlation';
import { IndexNames } from '@soc/storage';
import { bulkLoad } from '../../libs/storage/src/testing/bulk-load';
import { daysFrom, memberDayEvents, membersFileOfRanges } from '../../libs/statistics/src/testing/generated-attempts';
import { launchChromium } from './support/browser';
import { clientToken, consoleEnv, screenshotIfAsked, seriousAxeViolations, signInToConsole, socIssuer } from './support/console-browser';
import { createForwarderKey } from './support/deployment-start';
import { E2eDeployment } from './support/deployment';
import { restampedAuthLog, sshdMessagesOf } from './support/real-auth-log';
import { AppProcess, freePort, waitFor } from './support/stack';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

// rules/linux/credential_access_ssh_bruteforce.yml, as shipped.
const sshBruteForceRuleId = 'f25b0cb0-0df5-4459-86a3-6ecc84289693';
// Two real attackers of the real auth.log (public addresses, so the correlator treats them as actors).
const journeyAttacker = '122.163.61.218';
const campaignAttacker = '201.178.81.113';
const linesPerAttack = 20;

interface ApiAlert {
  id: string;
  kind: string;
  rule: { id: string; title: string };
  organization: { id: string };
  status: string;
  assignee?: string | null;
  campaign?: { id?: string; members?: string[]; other_members_affected?: number };
  observables: Array<{ field: string; value: string }>;
}

/** KL's figures: 12 municipalities over 8 published days (as console-queue loads them), straight into the events indices. */
function publishedAttemptEvents(): Array<Record<string, unknown>> {
  const first = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
  return daysFrom(first, 8).flatMap((day, d) =>
    Array.from({ length: 12 }, (_, m) => memberDayEvents(m, day, (m * 5 + d * 3) % 8 === 0 ? 201 + (m % 4) : (m * 7 + d * 5) % 12).events).flat(),
  );
}

/**
 * Issue 17's three journeys on the whole product: real log lines sent through the collector (HTTP
 * with a forwarder key, and syslog from util-linux `logger`), detected by the shipped rules in the
 * correlator, raised by alerting and shown by the console in Debian's Chromium, with Keycloak's
 * users, Redis and Elasticsearch all real.
 */
describe('console journeys from events: an analyst triages a live alert, campaign links, a member, KL', () => {
  let deployment: E2eDeployment;
  let collector: AppProcess;
  let correlator: AppProcess;
  let alerting: AppProcess;
  let consoleApp: AppProcess;
  let browser: Browser;
  let analystToken: string;
  let syslogPort: number;
  const keys: Record<string, string> = {};
  const dir = mkdtempSync(join(tmpdir(), 'e2e-console-journey-'));
  const apps = () => [consoleApp, alerting, correlator, collector].filter(Boolean);
  const logs = () =>
    apps()
      .map((app) => `--- ${app.app}\n${app.log}`)
      .join('\n');

  /** Real auth.log lines of one attacker, as a forwarder posts a file's lines (`text/plain`) with the member's key. */
  async function postAuthLog(member: string, attacker: string, host: string): Promise<void> {
    const response = await fetch(`${collector.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${keys[member]}`, 'content-type': 'text/plain' },
      body: restampedAuthLog(attacker, linesPerAttack, host).join('\n'),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: linesPerAttack });
  }

  /** The same attacker's sshd messages sent by `logger` over TCP syslog from 127.0.0.1, Odense's forwarder in the members file. */
  async function logAuthLog(attacker: string): Promise<void> {
    const file = join(dir, `sshd-${attacker}.log`);
    writeFileSync(file, `${sshdMessagesOf(attacker, linesPerAttack).join('\n')}\n`);
    await run('logger', ['--tcp', '--rfc5424', '-n', '127.0.0.1', '-P', String(syslogPort), '-t', 'sshd', '-f', file]);
  }

  /** Every alert naming `value` (alerting's free text), read with an analyst's service token. */
  async function alertsNaming(value: string): Promise<ApiAlert[]> {
    const response = await fetch(`${alerting.url}/alerts?size=500&q=${encodeURIComponent(value)}`, { headers: { authorization: `Bearer ${analystToken}` } });
    return ((await response.json()) as { alerts?: ApiAlert[] }).alerts ?? [];
  }

  /** Waits (generously: four apps and a browser share two cores) until `pick` finds what it looks for among the alerts naming `value`. */
  async function awaitAlerts<T>(value: string, pick: (alerts: ApiAlert[]) => T | undefined): Promise<T> {
    let found: T | undefined;
    let seen: ApiAlert[] = [];
    await waitFor(
      async () => (found = pick((seen = await alertsNaming(value)))) !== undefined,
      120_000,
      () => `alerts naming ${value}: ${JSON.stringify(seen.map((a) => [a.id, a.rule.title, a.organization.id, a.campaign]))}\n${logs()}`,
    );
    return found!;
  }

  const bruteForceAt = (member: string) => (alerts: ApiAlert[]) => alerts.find((a) => a.rule.id === sshBruteForceRuleId && a.organization.id === member);

  const rowsOf = (page: Page) =>
    page.locator('#alert-rows tr').evaluateAll((trs: any[]) => trs.map((tr) => ({ id: tr.dataset.alertId as string, member: tr.dataset.member as string })));

  const expectNoSeriousAxeViolations = async (page: Page) => expect(await seriousAxeViolations(page)).toEqual([]);

  beforeAll(async () => {
    syslogPort = await freePort();
    // Every municipality's own network range (for KL's statistics), and 127.0.0.1 as Odense's syslog forwarder.
    const members = membersFileOfRanges().members.map((m) => (m.id === '0461' ? { ...m, forwarder_addresses: ['127.0.0.1/32'] } : m));
    writeFileSync(join(dir, 'members.json'), JSON.stringify({ members }));
    deployment = await E2eDeployment.create({
      rules: {},
      env: {
        RULES_DIR: join(root, 'rules'),
        OIDC_ISSUER: socIssuer,
        OIDC_AUDIENCE: 'soc-api',
        CONSOLE_PORT: String(await freePort()),
        MEMBERS_FILE: join(dir, 'members.json'),
        SYSLOG_INPUTS: 'tcp',
        SYSLOG_TCP_PORT: String(syslogPort),
        SYSLOG_TIME_ZONE: 'UTC',
      },
    });
    const env = deployment.env;
    collector = new AppProcess('collector', env).start();
    correlator = new AppProcess('correlator', env).start();
    alerting = new AppProcess('alerting', env).start();
    consoleApp = new AppProcess(
      'console',
      consoleEnv(env, { CONSOLE_ALERTING_URL: alerting.url, CONSOLE_COLLECTOR_URL: collector.url, CONSOLE_CORRELATOR_URL: correlator.url }),
    ).start();
    [browser] = await Promise.all([launchChromium(), ...[collector, correlator, alerting, consoleApp].map((app) => app.waitReady(120_000))]);
    analystToken = await clientToken('soc-automation-analyst', 'soc-automation-analyst-dev-secret');
    for (const member of ['0751', '0101']) keys[member] = await createForwarderKey(env, member);
    // alerting is ready, so its events index template is in place for KL's generated events.
    const names = new IndexNames(env.INDEX_PREFIX);
    await bulkLoad(deployment.es, publishedAttemptEvents(), (event) => names.eventsIndexFor(String(event['@timestamp'])));
    await deployment.es.indices.refresh({ index: `${env.INDEX_PREFIX}-events-*` });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await deployment?.close(apps());
    rmSync(dir, { recursive: true, force: true });
  });

  let journeyAlertId: string;

  it("shows the analyst a live alert from Aarhus's real SSH log lines without a reload, and takes it through assign, comment and close with a reason; the audit trail names her at each step", async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.waitForSelector('#queue-title');
    // Open means the stream has its baseline: every alert raised from now on is sent to this page.
    await page.waitForSelector('#live-status[data-live="on"]', { timeout: 60_000 });
    await page.evaluate(() => ((globalThis as any).stillTheSamePage = true));
    await expectNoSeriousAxeViolations(page);

    await postAuthLog('0751', journeyAttacker, 'srv-ssh01.aarhus.dk');
    const alert = await awaitAlerts(journeyAttacker, bruteForceAt('0751'));
    journeyAlertId = alert.id;
    expect(alert.observables).toContainEqual({ field: 'source.ip', value: journeyAttacker });
    await page.waitForSelector(`#alert-rows tr[data-alert-id="${alert.id}"]`, { timeout: 120_000 });
    expect(await page.evaluate(() => (globalThis as any).stillTheSamePage)).toBe(true);
    await expect(page.locator('#triage-status').textContent()).resolves.toMatch(/^Ny alarm: .+ \(0751\)$/);

    // Assign from the keyboard, then open its detail with Enter.
    await page.focus(`#alert-rows tr[data-alert-id="${alert.id}"]`);
    await page.keyboard.press('a');
    await waitFor(async () => (await alertsNaming(journeyAttacker)).find((a) => a.id === alert.id)?.assignee === 'Anna Andersen', 30_000);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#alert-detail #detail-rule');
    expect(new URL(page.url()).hash).toBe(`#/alerts/${alert.id}`);
    // The events behind it are the real lines the collector parsed.
    await page.waitForSelector('#detail-events tbody tr');
    await expect(page.locator('#detail-events').textContent()).resolves.toContain(`from ${journeyAttacker} port`);
    await expect(page.locator('#rule-author').textContent()).resolves.toBe('Municipal SOC');

    // A comment, typed and sent from the keyboard.
    await page.focus('#comment-text');
    await page.keyboard.type('Adressen er blokeret i kommunens firewall');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail-comments li');
    await expect(page.locator('#detail-comments li').textContent()).resolves.toContain('Anna Andersen');
    await expectNoSeriousAxeViolations(page);

    // Back in the queue: x, the closing status chosen with the arrow key, the reason typed, confirmed with Enter.
    await page.click('#alert-detail a[href="#/queue"]');
    await page.waitForSelector(`#alert-rows tr[data-alert-id="${alert.id}"]`);
    await page.focus(`#alert-rows tr[data-alert-id="${alert.id}"]`);
    await page.keyboard.press('x');
    await page.waitForSelector('#close-dialog[open]');
    // The dialog opens on its first field, how the alert ends; then Tab to the reason and to the button.
    const focused = () => page.evaluate(() => (globalThis as any).document.activeElement?.id as string);
    await expect(focused()).resolves.toBe('close-status');
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('#close-status').inputValue()).resolves.toBe('false_positive');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('close-reason');
    await page.keyboard.type('Kendt angriber, blokeret; ingen login lykkedes');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('close-confirm');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#alert-rows tr[data-alert-id="${alert.id}"]`, { state: 'detached', timeout: 60_000 });
    // The search answers from Elasticsearch's next refresh (about a second).
    await waitFor(async () => (await alertsNaming(journeyAttacker)).find((a) => a.id === alert.id)?.status === 'false_positive', 30_000);

    // The detail's audit trail: created by the pipeline, then assigned, commented and closed by Anna.
    await page.goto(`${consoleApp.url}/#/alerts/${alert.id}`);
    await waitFor(
      async () => {
        await page.reload();
        await page.waitForSelector('#detail-audit tbody tr');
        return (await page.locator('#detail-audit tbody tr').count()) >= 4;
      },
      60_000,
      () => logs(),
    );
    const trail = await page
      .locator('#detail-audit tbody tr')
      .evaluateAll((trs: any[]) => trs.map((tr) => ({ action: tr.dataset.action, who: tr.children[1].textContent, change: tr.children[3].textContent })));
    expect(trail.map((e) => e.action)).toEqual(['created', 'assigned', 'commented', 'status_changed']);
    expect(trail.slice(1).map((e) => e.who)).toEqual(['Anna Andersen', 'Anna Andersen', 'Anna Andersen']);
    expect(trail[3]!.change).toContain('false_positive');
    expect(trail[3]!.change).toContain('(Kendt angriber, blokeret; ingen login lykkedes)');
    await expect(page.locator('#detail-status').textContent()).resolves.toBe('Falsk positiv');
    await expectNoSeriousAxeViolations(page);
    await context.close();
  }, 420_000);

  let campaignAlerts: { campaign: ApiAlert; members: Record<string, ApiAlert> };

  it("links a campaign across three members (HTTP and syslog) on the analyst's detail: the campaign's page and alert, the other members' alerts, and the campaign alert's member alerts", async () => {
    // One attacker's real lines at Aarhus and København over HTTP, at Odense over syslog from logger.
    await postAuthLog('0751', campaignAttacker, 'srv-ssh01.aarhus.dk');
    await logAuthLog(campaignAttacker);
    await postAuthLog('0101', campaignAttacker, 'jump.kk.dk');
    campaignAlerts = await awaitAlerts(campaignAttacker, (alerts) => {
      const campaign = alerts.find((a) => a.rule.id === campaignRuleRef.id);
      const members = Object.fromEntries(['0751', '0461', '0101'].map((m) => [m, bruteForceAt(m)(alerts)]));
      const linked = Object.values(members).every((a) => a?.campaign?.id !== undefined && a.campaign.id === campaign?.id);
      return campaign && linked ? { campaign, members: members as Record<string, ApiAlert> } : undefined;
    });
    const { campaign, members } = campaignAlerts;
    expect(campaign.organization.id).toBe('shared-soc');
    expect(campaign.campaign?.members).toEqual(['0101', '0461', '0751']);

    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.goto(`${consoleApp.url}/#/alerts/${members['0751']!.id}`);
    await page.waitForSelector('#campaign-alerts li');
    await expect(page.locator('#detail-campaign').textContent()).resolves.toBe('Berørte kommuner: 0101, 0461, 0751');
    await expect(page.locator('#campaign-page-link').getAttribute('href')).resolves.toBe(`#/campaigns/${campaign.id}`);
    await expect(page.locator('#campaign-alert-link').getAttribute('href')).resolves.toBe(`#/alerts/${campaign.id}`);
    const others = await page
      .locator('#campaign-alerts li')
      .evaluateAll((lis: any[]) => lis.map((li) => ({ id: li.dataset.alertId, member: li.dataset.member, href: li.querySelector('a').getAttribute('href') })));
    // Every alert listed is another member's in this campaign (other rules may have fired on the same lines too).
    expect(new Set(others.map((o) => o.member))).toEqual(new Set(['0101', '0461']));
    expect(others.map((o) => o.id)).toEqual(expect.arrayContaining([members['0101']!.id, members['0461']!.id]));
    expect(others.map((o) => o.id)).not.toContain(members['0751']!.id);
    expect(others.find((o) => o.id === members['0461']!.id)?.href).toBe(`#/alerts/${members['0461']!.id}`);
    await expectNoSeriousAxeViolations(page);
    await screenshotIfAsked(page, 'alert-detail-campaign');

    // The campaign's own alert lists its member alerts, all three.
    await page.click('#campaign-alert-link');
    await page.waitForSelector(`#campaign-alerts li[data-alert-id="${members['0751']!.id}"]`);
    expect(new URL(page.url()).hash).toBe(`#/alerts/${campaign.id}`);
    const listed = await page.locator('#campaign-alerts li').evaluateAll((lis: any[]) => lis.map((li) => li.dataset.alertId));
    expect(listed).toEqual(expect.arrayContaining(Object.values(members).map((a) => a.id)));
    // Exactly the alerts alerting links to the campaign (GET /campaigns/{id}).
    const fromApi = await fetch(`${alerting.url}/campaigns/${campaign.id}`, { headers: { authorization: `Bearer ${analystToken}` } });
    const { alerts: linked } = (await fromApi.json()) as { alerts: ApiAlert[] };
    expect([...listed].sort()).toEqual(linked.map((a) => a.id).sort());
    expect(await page.locator('#campaign-alert-link').count()).toBe(0);
    await expectNoSeriousAxeViolations(page);

    // A member alert's link opens its detail; the campaign link opens the campaign's page.
    await page.click(`#campaign-alerts li[data-alert-id="${members['0461']!.id}"] a`);
    await page.waitForSelector(`#detail-title:text-is("${members['0461']!.rule.title} · 0461")`);
    await page.click('#campaign-page-link');
    await page.waitForURL(`**/#/campaigns/${campaign.id}`);
    await context.close();
  }, 420_000);

  it("shows Odense's user only Odense's alerts (its syslog alert among them), a campaign only as a count, and neither Aarhus's alert nor the campaign's by URL", async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'olga.odense');
    await expect(page.locator('#who').textContent()).resolves.toBe('Olga Olsen · Kommune (0461)');
    const own = campaignAlerts.members['0461']!;
    await page.waitForSelector(`#alert-rows tr[data-alert-id="${own.id}"]`, { timeout: 60_000 });
    expect(new Set((await rowsOf(page)).map((r) => r.member))).toEqual(new Set(['0461']));
    await expectNoSeriousAxeViolations(page);

    await page.goto(`${consoleApp.url}/#/alerts/${own.id}`);
    await page.waitForSelector('#detail-campaign');
    await expect(page.locator('#detail-campaign').textContent()).resolves.toBe('2 andre kommuner er berørt');
    expect(await page.locator('#detail-campaign-links').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toMatch(/0751|0101|shared-soc/);
    expect(await page.locator('main').textContent()).not.toContain(campaignAlerts.campaign.id);
    await expectNoSeriousAxeViolations(page);

    for (const id of [journeyAlertId, campaignAlerts.members['0751']!.id, campaignAlerts.campaign.id]) {
      await page.goto(`${consoleApp.url}/#/alerts/${id}`);
      await page.waitForSelector('#detail-error');
      await expect(page.locator('#detail-error').textContent()).resolves.toBe(`Fejl: no alert ${id}`);
    }
    await context.close();
  }, 300_000);

  it('shows KL the statistics charts and no alert page, neither the queue nor an alert by URL', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'karen.kl');
    await page.waitForSelector('#statistics-rows tr');
    expect(await page.locator('#chart-median svg').count()).toBe(1);
    expect(await page.locator('#chart-share svg').count()).toBe(1);
    expect(await page.locator('header nav a[href="#/queue"]').count()).toBe(0);
    await expectNoSeriousAxeViolations(page);
    for (const hash of ['#/queue', `#/alerts/${journeyAlertId}`, `#/alerts/${campaignAlerts.campaign.id}`]) {
      await page.goto(`${consoleApp.url}/${hash}`);
      await expect(page.locator('main [role="status"]').textContent()).resolves.toBe('Siden findes ikke.');
      expect(await page.locator('#alert-rows, #alert-detail').count()).toBe(0);
    }
    await expectNoSeriousAxeViolations(page);
    await context.close();
  }, 300_000);
});
