import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { createRedis } from '@soc/redis';
import { AlertRepository, createElasticsearchClient, IndexNames } from '@soc/storage';
import { freePort } from '../support/bench-process';
import { ConsoleBenchApp } from './app-process';
import { openQueueOnce, type QueueOpening } from './measure-queue';
import { seedOpenAlerts, seededMembers } from './seed-alerts';

/**
 * bench:console (docs/PERFORMANCE.md, "Console"): 10,000 open alerts of several members in a
 * private index prefix, alerting and the console from `dist/`, the running Keycloak; anna.analyst
 * signs in through Keycloak's form in Debian's Chromium and opens the queue RUNS times. Prints one
 * JSON object: time to the first row and to interactive (a `j` moved the selection), median and
 * p95, and when every alert was loaded. A benchmark, not a test: nothing is asserted on time.
 */
const alertCount = Number(process.env.BENCH_CONSOLE_ALERTS ?? 10_000);
const runs = Number(process.env.BENCH_CONSOLE_RUNS ?? 5);
const keycloakUrl = (process.env.KEYCLOAK_URL ?? 'http://127.0.0.1:8180').replace(/\/$/, '');
const socIssuer = `${keycloakUrl}/realms/soc`;

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};
const summary = (values: number[]) => ({ median: quantile(values, 0.5), p95: quantile(values, 0.95), runs: values });

async function main(): Promise<void> {
  const id = `bench-console-${randomUUID().slice(0, 8)}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ELASTICSEARCH_URL: process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200',
    ALERTING_PORT: String(await freePort()),
    CONSOLE_PORT: String(await freePort()),
    EVENTS_STREAM: `${id}:events`,
    DETECTIONS_QUEUE: `${id}-detections`,
    KEY_PREFIX: id,
    INDEX_PREFIX: id,
    OIDC_ISSUER: socIssuer,
    OIDC_AUDIENCE: 'soc-api',
  };
  const es = createElasticsearchClient(env.ELASTICSEARCH_URL!);
  const redis = createRedis(env.REDIS_URL!, 'worker', id);
  const names = new IndexNames(id);
  const apps: ConsoleBenchApp[] = [];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  try {
    const alerting = await ConsoleBenchApp.start('alerting', env);
    apps.push(alerting);
    const consoleApp = await ConsoleBenchApp.start('console', {
      ...env,
      CONSOLE_OIDC_CLIENT_SECRET: 'soc-console-dev-secret',
      CONSOLE_SESSION_PREFIX: `${id}:console`,
      CONSOLE_ALERTING_URL: alerting.url,
    });
    apps.push(consoleApp);

    // alerting is ready, so its index templates are in place; the repository is the one it writes with.
    const seedStart = Date.now();
    const seeded = await seedOpenAlerts(new AlertRepository(es, names), alertCount);
    await es.indices.refresh({ index: names.alerts });
    const seedSeconds = (Date.now() - seedStart) / 1000;

    const context = await browser.newContext();
    const signIn = await context.newPage();
    await signIn.goto(`${consoleApp.url}/`);
    await signIn.click('#login');
    await signIn.waitForURL(`${socIssuer}/**`);
    await signIn.fill('#username', 'anna.analyst');
    await signIn.fill('#password', 'anna.analyst-pw');
    await signIn.click('#kc-login');
    await signIn.waitForURL(`${consoleApp.url}/`);
    await signIn.waitForSelector('#signed-in');
    await signIn.close();

    const loadBefore = loadavg();
    const openings: QueueOpening[] = [];
    for (let run = 0; run < runs; run++) openings.push(await openQueueOnce(context, consoleApp.url, seeded));
    const loadAfter = loadavg();
    await context.close();

    console.log(
      JSON.stringify({
        bench: 'console',
        open_alerts: seeded,
        members: seededMembers,
        seed_seconds: Number(seedSeconds.toFixed(1)),
        runs,
        first_row_ms: summary(openings.map((o) => o.first_row_ms)),
        interactive_ms: summary(openings.map((o) => o.interactive_ms)),
        all_loaded_ms: summary(openings.map((o) => o.all_loaded_ms)),
        rows_in_dom: openings.map((o) => o.rows_in_dom),
        alerts_loaded: openings.map((o) => o.alerts_loaded),
        loadavg_before: loadBefore.map((l) => Number(l.toFixed(2))),
        loadavg_after: loadAfter.map((l) => Number(l.toFixed(2))),
        cpus: cpus().length,
      }),
    );
  } finally {
    await browser.close();
    for (const app of apps.reverse()) await app.stop();
    await es.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await es.indices.deleteIndexTemplate({ name: `${id}-*` }).catch(() => undefined);
    const keys = await redis.keys(`*${id}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await es.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
