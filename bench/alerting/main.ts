import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { detectionFingerprint, type Detection } from '@soc/contracts';
import { assessRisk, ExceptionIndex, matchingException, type AlertException } from '@soc/alerts';
import { municipalities } from '@soc/members';
import { AlertRepository, createElasticsearchClient, ensureIndexTemplates, IndexNames } from '@soc/storage';
import { measureIntake } from './intake';

/**
 * `npm run bench:alerting [-- --detections 4000 --keys 400 --concurrency 16]`: the alerting hot
 * path in one run: exception matching and risk scoring on one core without I/O, then detections
 * folded into alerts against the local Elasticsearch (real-time gets + optimistic writes), then
 * the same detections through the whole intake (the alerting process's detections worker).
 * Prints one JSON object.
 */
/** A member per alert key, among the real municipality codes (the intake reads the member's settings). */
const memberOf = (key: number): string => municipalities[key % municipalities.length]!.code;

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

function detection(i: number, keys: number): Detection {
  const ip = `198.18.${Math.floor((i % keys) / 250)}.${(i % keys) % 250}`;
  const now = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
  return {
    fingerprint: detectionFingerprint('bench-rule', memberOf(i % keys), ip, now),
    kind: 'correlation',
    rule: { id: 'bench-rule', title: 'Bench rule', level: 'high', tags: [], references: [] },
    organization: { id: memberOf(i % keys) },
    group_key: ip,
    window_start: now,
    first_seen: now,
    last_seen: now,
    event_count: 3,
    event_ids: [`e${i}a`, `e${i}b`, `e${i}c`],
    observables: [
      { field: 'source.ip', value: ip },
      { field: 'user.name', value: `u${i % 50}` },
    ],
    detected_at: now,
  };
}

function perSecond(n: number, work: () => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) work();
  return Math.round(n / (Number(process.hrtime.bigint() - start) / 1e9));
}

async function main(): Promise<void> {
  const total = arg('detections', 4000);
  const keys = arg('keys', 400);
  const concurrency = arg('concurrency', 16);
  const samples = Array.from({ length: 1000 }, (_, i) => detection(i, keys));

  // 1,000 exceptions, none matching: the worst case, every one is checked.
  const exceptions: AlertException[] = Array.from({ length: 1000 }, (_, i) => ({
    id: `x${i}`,
    scope: i % 2 ? { kind: 'global' } : { kind: 'member', member_id: memberOf(i) },
    rule_id: i % 10 ? `other-${i}` : 'bench-rule',
    conditions: [
      { field: 'source.ip', op: 'cidr', value: '10.0.0.0/8' },
      { field: 'user.name', op: 'in', values: ['svc-a', 'svc-b'] },
    ],
    owner: 'bench',
    reason: 'bench',
    expires_at: '2099-01-01T00:00:00Z',
    created_at: '2026-01-01T00:00:00Z',
    created_by: 'bench',
  }));
  let k = 0;
  const scanChecksPerSecond = perSecond(20_000, () => matchingException(exceptions, samples[k++ % samples.length]));
  const index = new ExceptionIndex(exceptions);
  const indexedChecksPerSecond = perSecond(100_000, () => index.match(samples[k++ % samples.length]));
  const riskPerSecond = perSecond(200_000, () => assessRisk(samples[k++ % samples.length], 4));

  const client = createElasticsearchClient(process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200');
  const names = new IndexNames(`bench-${randomUUID().slice(0, 8)}`);
  await ensureIndexTemplates(client, names);
  const repository = new AlertRepository(client, names);
  const outcomes = { created: 0, folded: 0, duplicate: 0, not_raised: 0 };
  const latencies: number[] = [];
  let next = 0;
  const start = Date.now();
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const d = detection(next++, keys);
          const t0 = process.hrtime.bigint();
          const { outcome } = await repository.upsertFromDetection(d, assessRisk(d));
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          outcomes[outcome]++;
        }
      }),
    );
  } finally {
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
    await client.close();
  }
  const seconds = (Date.now() - start) / 1000;
  const intake = await measureIntake((i) => detection(i, keys), total, keys, { cpuProfileDir: process.env.BENCH_CPU_PROFILE_DIR });
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] * 10) / 10;
  process.stdout.write(
    `${JSON.stringify({
      exception_checks_per_s_1000_exceptions: { scan: scanChecksPerSecond, by_rule_index: indexedChecksPerSecond },
      risk_assessments_per_s: riskPerSecond,
      upsert: {
        detections: total,
        alert_keys: keys,
        concurrency,
        detections_per_s: Math.round(total / seconds),
        p50_ms: pct(0.5),
        p99_ms: pct(0.99),
        ...outcomes,
      },
      intake,
      loadavg: loadavg().map((l) => Number(l.toFixed(2))),
    })}\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.message}\n`);
  process.exit(1);
});
