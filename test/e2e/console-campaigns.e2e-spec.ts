import type { Browser, Page } from 'playwright-core';
import { campaignRuleRef } from '@soc/correlation';
import { launchChromium } from './support/browser';
import { clientToken, consoleEnv, screenshotIfAsked, seriousAxeViolations, signInToConsole, socIssuer } from './support/console-browser';
import { createForwarderKey } from './support/deployment-start';
import { E2eDeployment } from './support/deployment';
import { yesterdayUtc } from './support/events';
import { failedSshLoginRule } from './support/rules-dir';
import { AppProcess, freePort, waitFor } from './support/stack';

// A public address: documentation and private addresses never form campaigns (reserved-actors.e2e-spec.ts).
const attacker = '91.240.118.23';
// Aarhus, København, Odense, in this order: the campaign; Aalborg: warned early on its first event.
const campaignMembers = ['0751', '0101', '0461'];
const nextMember = '0851';

interface CampaignAnswer {
  campaign: { id: string; campaign?: { members?: string[] } };
  alerts: Array<{ id: string; kind: string; organization: { id: string } }>;
  spread: Array<{ member: string; alert_ids: string[]; early_warning: boolean }>;
  early_warning_indicator: string | null;
}

const timelineOf = (page: Page) =>
  page.locator('#campaign-timeline li').evaluateAll((lis: any[]) =>
    lis.map((li) => ({
      member: li.dataset.member as string,
      early: li.dataset.earlyWarning as string,
      alerts: [...li.querySelectorAll('a')].map((a: any) => a.dataset.alert),
    })),
  );
const mapStates = (page: Page) =>
  page
    .locator('.denmark-map path[data-state]')
    .evaluateAll((paths: any[]) => Object.fromEntries(paths.map((p) => [p.dataset.code as string, p.dataset.state as string])));

describe('console: campaigns on the Denmark map, from a real campaign through the pipeline, in Chromium', () => {
  let deployment: E2eDeployment;
  const apps: AppProcess[] = [];
  let alerting: AppProcess;
  let consoleApp: AppProcess;
  let browser: Browser;
  let analystToken: string;
  let detail: CampaignAnswer;

  const campaignFromApi = async (id: string, token = analystToken) =>
    fetch(`${alerting.url}/campaigns/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    deployment = await E2eDeployment.create({
      rules: { 'failed_ssh_login.yml': failedSshLoginRule },
      env: {
        OIDC_ISSUER: socIssuer,
        OIDC_AUDIENCE: 'soc-api',
        CONSOLE_PORT: String(await freePort()),
        CAMPAIGN_MIN_MEMBERS: '3',
        CAMPAIGN_WINDOW_MS: String(3_600_000),
      },
    });
    const env = deployment.env;
    const collector = new AppProcess('collector', env).start();
    alerting = new AppProcess('alerting', env).start();
    const correlator = new AppProcess('correlator', env).start();
    consoleApp = new AppProcess('console', consoleEnv(env, { CONSOLE_ALERTING_URL: alerting.url, CONSOLE_COLLECTOR_URL: collector.url })).start();
    apps.push(collector, alerting, correlator, consoleApp);
    [browser] = await Promise.all([launchChromium(), ...apps.map((app) => app.waitReady())]);
    analystToken = await clientToken('soc-automation-analyst', 'soc-automation-analyst-dev-secret');

    // The attacker's events through the collector, each member with its own forwarder key: a failed
    // login at three members (the campaign), then Aalborg's first contact (an early warning).
    const send = async (member: string, minute: number, event: object) => {
      const key = await createForwarderKey(env, member);
      const body = JSON.stringify({ '@timestamp': yesterdayUtc(9, minute).toISOString(), source: { ip: attacker }, ...event });
      const reply = await fetch(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
        body,
      });
      expect(reply.status).toBe(202);
    };
    const failedLogin = { event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], outcome: 'failure' } };
    for (const [i, member] of campaignMembers.entries()) await send(member, 10 + i, failedLogin);
    let campaignId = '';
    await waitFor(
      async () => {
        const reply = await fetch(`${alerting.url}/campaigns`, { headers: { authorization: `Bearer ${analystToken}` } });
        const list = (await reply.json()) as { campaigns?: Array<{ id: string; rule: { id: string } }> };
        campaignId = list.campaigns?.find((c) => c.rule.id === campaignRuleRef.id)?.id ?? '';
        return campaignId !== '';
      },
      90_000,
      () => `${correlator.log}\n${alerting.log}`,
    );
    // The promoted indicator reaches the correlator's replica, then Aalborg's first event warns it.
    const promoted = `${correlator.url}/v1/indicators/${encodeURIComponent(`campaign:source.ip=${attacker}`)}`;
    await waitFor(async () => {
      const reply = await fetch(promoted, { headers: { authorization: `Bearer ${analystToken}` } });
      return reply.ok && ((await reply.json()) as { replica: { copy: unknown } }).replica.copy !== null;
    }, 30_000);
    await send(nextMember, 30, { event: { dataset: 'network.flow', category: ['network'], outcome: 'success' } });
    // Until the campaign answers with each member's alert linked and Aalborg's early warning.
    await waitFor(
      async () => {
        detail = (await (await campaignFromApi(campaignId)).json()) as CampaignAnswer;
        const linked = new Set(detail.spread.filter((s) => s.alert_ids.length > 0).map((s) => s.member));
        return [...campaignMembers, nextMember].every((m) => linked.has(m)) && detail.alerts.some((a) => a.kind === 'early_warning');
      },
      90_000,
      () => `campaign: ${JSON.stringify(detail)}\n${correlator.log}\n${alerting.log}`,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await deployment?.close(apps);
  });

  it('lets an analyst find the campaign in the list and open it: the map marks the municipalities it reached, the timeline shows when', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.click('header nav a[href="#/campaigns"]');
    await page.waitForSelector('#campaign-rows tr');
    const rows = await page
      .locator('#campaign-rows tr')
      .evaluateAll((trs: any[]) => trs.map((tr) => ({ id: tr.dataset.campaign, open: tr.dataset.open, text: tr.textContent })));
    expect(rows.map((r) => [r.id, r.open])).toEqual([[detail.campaign.id, 'true']]);
    for (const name of ['Aarhus (0751)', 'København (0101)', 'Odense (0461)']) expect(rows[0]!.text).toContain(name);
    await expect(page.locator('#campaigns-count').textContent()).resolves.toBe('1 kampagner, heraf 1 åbne.');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotIfAsked(page, 'campaigns');

    await page.click(`#campaign-rows a[href="#/campaigns/${encodeURIComponent(detail.campaign.id)}"]`);
    await page.waitForSelector('#campaign-timeline li');
    await page.waitForSelector('.denmark-map svg path[data-code="0751"]');
    // The three members reached, Aalborg warned early; every other municipality unmarked.
    expect(await mapStates(page)).toEqual({ '0101': 'affected', '0461': 'affected', '0751': 'affected', [nextMember]: 'early-warning' });
    await expect(page.locator('.denmark-map path[data-code="0751"] title').textContent()).resolves.toMatch(/^Aarhus: Ramt /);
    await expect(page.locator(`.denmark-map path[data-code="${nextMember}"] title`).textContent()).resolves.toMatch(/^Aalborg: Tidligt varslet /);
    await expect(page.locator('.denmark-map path[data-code="0860"] title').textContent()).resolves.toBe('Hjørring: Ikke ramt');
    await expect(page.locator('.denmark-map-credit').textContent()).resolves.toContain('Klimadatastyrelsen');

    // The spread in the order the attacker reached the members, each with its alerts linked.
    const timeline = await timelineOf(page);
    expect(timeline.map((e) => [e.member, e.early])).toEqual([
      ['0751', 'false'],
      ['0101', 'false'],
      ['0461', 'false'],
      [nextMember, 'true'],
    ]);
    for (const entry of timeline) expect(entry.alerts).toEqual(detail.spread.find((s) => s.member === entry.member)!.alert_ids);
    // The early warning: the promoted indicator and Aalborg's early-warning alert.
    await expect(page.locator('#campaign-indicator').textContent()).resolves.toContain(`campaign:source.ip=${attacker}`);
    const earlyAlert = detail.alerts.find((a) => a.kind === 'early_warning')!;
    expect(earlyAlert.organization.id).toBe(nextMember);
    await expect(page.locator('#campaign-early-alerts a').evaluateAll((as: any[]) => as.map((a) => a.dataset.alert))).resolves.toEqual([earlyAlert.id]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotIfAsked(page, 'campaign');

    // The map by keyboard: Aarhus is a link to its alert in the campaign.
    const aarhus = page.locator('.denmark-map a[aria-label^="Aarhus:"]');
    await aarhus.focus();
    await expect(page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('aria-label'))).resolves.toMatch(/^Aarhus: Ramt /);
    await page.keyboard.press('Enter');
    const aarhusAlert = detail.spread.find((s) => s.member === '0751')!.alert_ids[0]!;
    await page.waitForFunction((hash) => (globalThis as any).location.hash === hash, `#/alerts/${encodeURIComponent(aarhusAlert)}`);

    // In English.
    await page.goBack();
    await page.waitForSelector('#campaign-timeline li');
    await page.selectOption('#language', 'en');
    await expect(page.locator('.denmark-map path[data-code="0751"] title').textContent()).resolves.toMatch(/^Aarhus: Reached /);
    await expect(page.locator('#campaign-timeline-title').textContent()).resolves.toBe('Spread');
    await context.close();
  });

  it("gives a member of the campaign no campaigns page, not by URL either, and alerting refuses it the campaign's route", async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'mads.aarhus');
    await expect(page.locator('header nav a[href="#/campaigns"]').count()).resolves.toBe(0);
    await page.goto(`${consoleApp.url}/#/campaigns/${encodeURIComponent(detail.campaign.id)}`);
    await page.waitForSelector('main p[role="status"]');
    await expect(page.locator('main').textContent()).resolves.toContain('Siden findes ikke.');
    await expect(page.locator('.denmark-map').count()).resolves.toBe(0);
    await page.goto(`${consoleApp.url}/#/campaigns`);
    await expect(page.locator('main').textContent()).resolves.toContain('Siden findes ikke.');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Through the console's proxy with the member's own session: alerting answers 403, naming no member.
    const viaProxy = await page.evaluate(async (id) => {
      const list = await fetch('/api/alerting/campaigns');
      const one = await fetch(`/api/alerting/campaigns/${encodeURIComponent(id)}`);
      return { list: list.status, one: one.status, body: await one.text() };
    }, detail.campaign.id);
    expect({ list: viaProxy.list, one: viaProxy.one }).toEqual({ list: 403, one: 403 });
    for (const member of ['0101', '0461', nextMember]) expect(viaProxy.body).not.toContain(member);
    await context.close();

    // And with a member's service token straight to alerting.
    const memberToken = await clientToken('soc-automation-0751', 'soc-automation-0751-dev-secret');
    expect((await campaignFromApi(detail.campaign.id, memberToken)).status).toBe(403);
    expect((await fetch(`${alerting.url}/campaigns`, { headers: { authorization: `Bearer ${memberToken}` } })).status).toBe(403);
    // The analyst's answer for an id that is no campaign (a member alert's) is 404.
    const memberAlert = detail.spread.find((s) => s.member === '0751')!.alert_ids[0]!;
    const notCampaign = await campaignFromApi(memberAlert);
    expect({ status: notCampaign.status, body: await notCampaign.json() }).toEqual({
      status: 404,
      body: { error: 'not_found', message: `no campaign ${memberAlert}` },
    });
  });
});
