import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
import { ForwarderKeyRepository } from '@soc/auth';
import { detectionContributionId, detectionFingerprint, type Detection } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { launchChromium } from './support/browser';
import { clientToken, consoleEnv, screenshotIfAsked, seriousAxeViolations, signInToConsole, socIssuer } from './support/console-browser';
import { E2eDeployment } from './support/deployment';
import { AppProcess, freePort, waitFor } from './support/stack';

/** One SSH failure as a forwarder posts it. */
const sshFailure = () =>
  JSON.stringify({
    '@timestamp': new Date().toISOString(),
    event: { dataset: 'linux.sshd', category: ['authentication'], outcome: 'failure' },
    source: { ip: '203.0.113.9', port: 41_000 },
    user: { name: 'root' },
    message: 'Failed password for root from 203.0.113.9 port 41000 ssh2',
  });

/** A rule's detection for one member, as the correlator enqueues it. */
function detection(member: string, title: string): Detection {
  const now = new Date().toISOString();
  const ruleId = `console-hooks-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return {
    fingerprint: detectionFingerprint(ruleId, member, '198.51.100.77', now),
    kind: 'rule',
    rule: { id: ruleId, title, level: 'high', tags: ['attack.t1110'], references: [] },
    organization: { id: member },
    group_key: '198.51.100.77',
    window_start: now,
    first_seen: now,
    last_seen: now,
    event_count: 1,
    event_ids: [`e-${member}-hooks`],
    observables: [{ field: 'source.ip', value: '198.51.100.77' }],
    detected_at: now,
  };
}

const keyRowsOf = (page: Page) =>
  page.locator('#key-rows tr').evaluateAll((trs: any[]) => trs.map((tr) => ({ id: tr.dataset.keyId as string, member: tr.dataset.member as string })));
const deliveryRowsOf = (page: Page) =>
  page
    .locator('#delivery-rows tr')
    .evaluateAll((trs: any[]) =>
      trs.map((tr) => ({ url: tr.dataset.url as string, status: tr.dataset.status as string, text: (tr.textContent as string).replace(/\s+/g, ' ').trim() })),
    );

/** What the page's own session may do through the console's proxy (same origin, the session cookie): a member acting on a key id. */
const throughConsole = (page: Page, method: string, path: string) =>
  page.evaluate(
    async ([m, p]) => {
      const response = await fetch(p!, { method: m });
      return { status: response.status, body: await response.text() };
    },
    [method, path],
  );
/** The id of the element that has the focus. */
const focusedId = (page: Page) => page.evaluate(() => (globalThis as any).document.activeElement?.id as string | undefined);

describe('console: forwarder keys and webhook deliveries, for members and the SOC administrator, in Chromium', () => {
  let deployment: E2eDeployment;
  let collector: AppProcess;
  let alerting: AppProcess;
  let consoleApp: AppProcess;
  let browser: Browser;
  let receiver: Server;
  let detections: Queue;
  let queueRedis: Redis;
  let odenseKey: { id: string; key: string };
  const received: Array<{ path: string; signed: boolean }> = [];
  const membersDir = mkdtempSync(join(tmpdir(), 'e2e-console-hooks-'));

  /** An event sent with a forwarder key: the collector's status. */
  const send = async (key: string) =>
    (
      await fetch(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
        body: sshFailure(),
      })
    ).status;

  beforeAll(async () => {
    // The members' webhook receiver: /ok answers 204, /fail 500 (every attempt).
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received.push({ path: request.url ?? '', signed: Boolean(request.headers['x-soc-signature']) });
        response.writeHead(request.url === '/fail' ? 500 : 204).end();
      });
    });
    const hookPort = await freePort();
    await new Promise<void>((resolve) => receiver.listen(hookPort, '127.0.0.1', resolve));
    const hook = (path: string, secret: string) => ({ url: `http://127.0.0.1:${hookPort}${path}`, secret_ref: secret });
    writeFileSync(
      join(membersDir, 'members.json'),
      JSON.stringify({
        members: [
          { id: '0751', webhooks: [hook('/ok', 'AARHUS'), hook('/fail', 'AARHUS')] },
          { id: '0461', webhooks: [hook('/odense', 'ODENSE')] },
        ],
      }),
    );
    deployment = await E2eDeployment.create({
      rules: {},
      env: {
        OIDC_ISSUER: socIssuer,
        OIDC_AUDIENCE: 'soc-api',
        CONSOLE_PORT: String(await freePort()),
        MEMBERS_FILE: join(membersDir, 'members.json'),
        WEBHOOK_SECRET_AARHUS: 'aarhus-hook-secret-e2e',
        WEBHOOK_SECRET_ODENSE: 'odense-hook-secret-e2e',
        WEBHOOK_ATTEMPTS: '2',
        WEBHOOK_BACKOFF_MS: '100',
      },
    });
    const env = deployment.env;
    collector = new AppProcess('collector', env).start();
    alerting = new AppProcess('alerting', env).start();
    consoleApp = new AppProcess('console', consoleEnv(env, { CONSOLE_COLLECTOR_URL: collector.url, CONSOLE_ALERTING_URL: alerting.url })).start();
    [browser] = await Promise.all([launchChromium(), collector.waitReady(), alerting.waitReady(), consoleApp.waitReady()]);
    // Odense's key, issued by the SOC (the same repository the API uses).
    odenseKey = await new ForwarderKeyRepository(deployment.redis, env.KEY_PREFIX).create('0461', 'odense relay');
    queueRedis = createRedis(env.REDIS_URL, 'worker', 'e2e-console-hooks-detections');
    detections = new Queue(env.DETECTIONS_QUEUE, { connection: queueRedis });
  });

  afterAll(async () => {
    await browser?.close();
    await detections?.obliterate({ force: true });
    await detections?.close();
    queueRedis?.disconnect();
    await new Promise((resolve) => receiver?.close(resolve));
    await deployment?.close([consoleApp, alerting, collector].filter(Boolean));
    rmSync(membersDir, { recursive: true, force: true });
  });

  it('lets a member create a key in the page, shown once, that the collector accepts; rotate it (the old one refused within the grace) and revoke it, each confirmed and in the trail', async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'mads.aarhus');
    await page.click('header nav a[href="#/keys"]');
    await page.waitForSelector('#keys-title');
    await page.waitForSelector('#keys-empty, #key-rows');
    expect(await keyRowsOf(page)).toEqual([]);

    // Create: the secret shows once, with its warning, and works at the collector.
    await page.fill('#new-key-label', 'rsyslog på log01');
    await page.selectOption('#new-key-format', 'syslog');
    await page.click('#new-key-create');
    await page.waitForSelector('#key-secret');
    const first = await page.inputValue('#key-secret-value');
    expect(first).toMatch(/^sockey_/);
    await expect(page.locator('#key-secret-warning').textContent()).resolves.toContain('vises kun denne ene gang');
    // The panel has the focus, so a screen reader reads the warning first.
    expect(await focusedId(page)).toBe('key-secret');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotIfAsked(page, 'forwarder-key-created');
    await page.click('#key-secret-copy');
    // The clipboard answers asynchronously: copied, or (refused) the key selected for Ctrl+C.
    await waitFor(async () => /kopieret|markeret/.test((await page.locator('#key-secret-copied').textContent()) ?? ''), 10_000);
    expect(await send(first)).toBe(202);
    const [created] = await keyRowsOf(page);
    expect(created).toMatchObject({ member: '0751' });
    await page.click('#key-secret-done');
    await page.waitForSelector('#key-secret', { state: 'detached' });
    expect(await page.content()).not.toContain(first);
    // The list never carries a secret: reloaded, the page has none.
    await page.reload();
    await page.waitForSelector('#key-rows tr');
    expect(await page.content()).not.toContain(first);

    // Rotate: asked first (Cancel focused), then a new secret; the new one works at once, the old one is refused within 5 s.
    await page.click(`#key-rows tr[data-key-id="${created!.id}"] button.rotate`);
    await page.waitForSelector('#key-dialog[data-action="rotate"]');
    expect(await focusedId(page)).toBe('key-dialog-cancel');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.click('#key-dialog-confirm');
    await page.waitForSelector('#key-secret');
    const second = await page.inputValue('#key-secret-value');
    expect(second).not.toBe(first);
    await expect(page.locator('#key-secret-title').textContent()).resolves.toContain('rotation');
    expect(await send(second)).toBe(202);
    await waitFor(
      async () => (await send(first)) === 401,
      30_000,
      () => collector.log,
    );
    const [rotated] = await keyRowsOf(page);
    expect(rotated!.id).not.toBe(created!.id);
    await page.click('#key-secret-done');

    // Revoke: a cancelled dialog changes nothing; a confirmed one revokes, and the key is refused within 5 s.
    await page.click(`#key-rows tr[data-key-id="${rotated!.id}"] button.revoke`);
    await page.waitForSelector('#key-dialog[data-action="revoke"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#key-dialog', { state: 'detached' });
    expect(await send(second)).toBe(202);
    await page.click(`#key-rows tr[data-key-id="${rotated!.id}"] button.revoke`);
    await page.click('#key-dialog-confirm');
    await page.waitForSelector('#keys-empty');
    await expect(page.locator('#keys-outcome').textContent()).resolves.toBe('Nøglen rsyslog på log01 er tilbagekaldt.');
    await waitFor(
      async () => (await send(second)) === 401,
      30_000,
      () => collector.log,
    );

    // The trail: who did what to which key, newest first.
    const trail = await page
      .locator('#key-trail-rows tr')
      .evaluateAll((trs: any[]) => trs.map((tr) => [tr.dataset.action, (tr.textContent as string).includes('Mads')]));
    expect(trail).toEqual([
      ['forwarder_key_revoked', true],
      ['forwarder_key_rotated', true],
      ['forwarder_key_created', true],
    ]);
    await context.close();
  });

  it("shows a member only its own keys, and another member's key id answers 404 as a missing one, the key untouched", async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'mads.aarhus');
    await page.goto(`${consoleApp.url}/#/keys`);
    await page.waitForSelector('#keys-empty, #key-rows');
    expect((await keyRowsOf(page)).map((r) => r.member)).not.toContain('0461');
    expect(await page.content()).not.toContain(odenseKey.id);
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const [method, path] of [
      ['POST', '/api/collector/v1/forwarder-keys/{id}/rotate'],
      ['DELETE', '/api/collector/v1/forwarder-keys/{id}'],
    ] as const) {
      const onOdense = await throughConsole(page, method, path.replace('{id}', odenseKey.id));
      const onMissing = await throughConsole(page, method, path.replace('{id}', missing));
      expect({ method, status: onOdense.status, body: onOdense.body.replace(odenseKey.id, '<id>') }).toEqual({
        method,
        status: 404,
        body: onMissing.body.replace(missing, '<id>'),
      });
      expect(JSON.parse(onOdense.body)).toMatchObject({ error: 'not_found', message: `no forwarder key "${odenseKey.id}"` });
    }
    // The admin routes stay the SOC administrator's.
    expect((await throughConsole(page, 'GET', '/api/collector/v1/admin/forwarder-keys')).status).toBe(403);
    expect(await send(odenseKey.key)).toBe(202);
    await context.close();
  });

  it("shows the SOC administrator every member's keys, filtered by member, and lets it create a key for a member", async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'sofie.admin');
    await page.click('header nav a[href="#/keys"]');
    await page.waitForSelector('#key-rows tr');
    await page.fill('#new-key-member', '0751');
    await page.fill('#new-key-label', 'winlogbeat');
    await page.click('#new-key-create');
    await page.waitForSelector('#key-secret');
    const aarhusKey = await page.inputValue('#key-secret-value');
    expect(await send(aarhusKey)).toBe(202);
    await page.click('#key-secret-done');
    await waitFor(async () => new Set((await keyRowsOf(page)).map((r) => r.member)).size === 2, 10_000);
    expect([...new Set((await keyRowsOf(page)).map((r) => r.member))].sort()).toEqual(['0461', '0751']);
    await page.fill('#keys-member', '0461');
    await waitFor(async () => (await keyRowsOf(page)).every((r) => r.member === '0461'), 10_000);
    expect(await keyRowsOf(page)).toEqual([{ id: odenseKey.id, member: '0461' }]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.fill('#keys-member', '');
    await page.waitForSelector('#key-rows tr[data-member="0751"]');
    await screenshotIfAsked(page, 'forwarder-keys-admin');

    // A refusal in the API's words: an unknown member.
    await page.fill('#new-key-member', '9999');
    await page.click('#new-key-create');
    await expect(page.locator('#new-key-problem').textContent()).resolves.toBe('Afvist: no member "9999"');
    await context.close();
  });

  it("lists a member's real webhook deliveries, delivered and failed, and not another member's", async () => {
    const analystToken = await clientToken('soc-automation-analyst', 'soc-automation-analyst-dev-secret');
    for (const d of [detection('0751', 'Aarhus hook alert'), detection('0461', 'Odense hook alert')]) {
      await detections.add('detection', d, { jobId: detectionContributionId(d) });
    }
    // Three endpoints: Aarhus's /ok delivered, its /fail failed after both attempts, Odense's delivered.
    await waitFor(
      async () => {
        const response = await fetch(`${alerting.url}/webhooks/deliveries`, { headers: { authorization: `Bearer ${analystToken}` } });
        const { deliveries } = (await response.json()) as { deliveries?: Array<{ status: string }> };
        return (deliveries ?? []).filter((d) => d.status !== 'retrying').length === 3;
      },
      90_000,
      () => alerting.log,
    );
    expect(received.filter((r) => r.path === '/fail')).toHaveLength(2);
    expect(received.every((r) => r.signed)).toBe(true);

    const { context, page } = await signInToConsole(browser, consoleApp.url, 'mads.aarhus');
    await page.click('header nav a[href="#/webhooks"]');
    await page.waitForSelector('#delivery-rows tr');
    const rows = await deliveryRowsOf(page);
    expect(rows.map((r) => [r.url.replace(/:\d+/, ':<port>'), r.status]).sort()).toEqual([
      ['http://127.0.0.1:<port>/fail', 'failed'],
      ['http://127.0.0.1:<port>/ok', 'delivered'],
    ]);
    const delivered = rows.find((r) => r.status === 'delivered')!;
    expect(delivered.text).toContain('Leveret');
    expect(delivered.text).toContain('alert.created');
    expect(delivered.text).toContain('1 af 2');
    expect(delivered.text).toContain('204');
    const failed = rows.find((r) => r.status === 'failed')!;
    expect(failed.text).toContain('Fejlet');
    expect(failed.text).toContain('2 af 2');
    expect(failed.text).toContain('500');
    expect(failed.text).toContain('endpoint answered 500');
    expect(await page.content()).not.toContain('/odense');
    expect(await page.content()).not.toContain('aarhus-hook-secret-e2e');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotIfAsked(page, 'webhook-deliveries');

    await page.selectOption('#language', 'en');
    await expect(page.locator('#webhooks-title').textContent()).resolves.toBe('Webhook deliveries');
    expect((await deliveryRowsOf(page)).find((r) => r.status === 'failed')!.text).toContain('Failed');
    await page.selectOption('#language', 'da');
    await context.close();
  });

  it("shows a SOC analyst both members' deliveries with their member, and narrows them to one member", async () => {
    const { context, page } = await signInToConsole(browser, consoleApp.url, 'anna.analyst');
    await page.click('header nav a[href="#/webhooks"]');
    await page.waitForSelector('#delivery-rows tr');
    const membersOf = () => page.locator('#delivery-rows tr').evaluateAll((trs: any[]) => trs.map((tr) => tr.dataset.member as string));
    await waitFor(async () => new Set(await membersOf()).size === 2, 30_000);
    const rows = await deliveryRowsOf(page);
    expect(rows.map((r) => [r.url.replace(/:\d+/, ':<port>'), r.status]).sort()).toEqual([
      ['http://127.0.0.1:<port>/fail', 'failed'],
      ['http://127.0.0.1:<port>/odense', 'delivered'],
      ['http://127.0.0.1:<port>/ok', 'delivered'],
    ]);
    // The member column: each row names its member.
    await expect(page.locator('table.webhook-deliveries thead').textContent()).resolves.toContain('Medlem');
    expect(rows.find((r) => r.url.endsWith('/odense'))!.text).toContain('0461');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotIfAsked(page, 'webhook-deliveries-soc');

    // The member filter, by keyboard: Odense's only, then every member's again.
    await page.focus('#webhooks-member');
    await page.keyboard.type('0461');
    await page.keyboard.press('Enter');
    await waitFor(async () => (await membersOf()).every((m) => m === '0461'), 30_000);
    expect((await deliveryRowsOf(page)).map((r) => r.url.replace(/:\d+/, ':<port>'))).toEqual(['http://127.0.0.1:<port>/odense']);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.fill('#webhooks-member', '');
    await page.click('#webhooks-apply');
    await waitFor(async () => new Set(await membersOf()).size === 2, 30_000);
    await context.close();
  });
});
