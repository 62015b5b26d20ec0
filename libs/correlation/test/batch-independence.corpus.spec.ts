import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { detectionContributionId, type Detection, type SocEvent } from '@soc/contracts';
import { IndicatorIndex } from '@soc/indicators';
import { parseLogLine } from '@soc/parsing';
import { completeEvent, InMemoryWindowStore } from '@soc/sigma';
import { CorrelationEngine } from '../src/correlation-engine';
import { InMemoryCampaignStore } from '../src/in-memory-campaign-store';
import { evaluateAndCommit, members, realRules } from '../src/testing/fixtures';
import { payloadLists, readPayloads, renderPayload } from '../../parsing/test/web-attack-corpus';

/**
 * The same log, cut into batches anywhere, gives the same alerts with the same counts: a window's
 * threshold may be crossed in the first batch or the last, and what arrives after it fired is added
 * to it (a window update), so the alert adds up to the same events. Real logs nobody on the project
 * wrote, in file order, the way a forwarder sends them: an sshd auth.log (year-less timestamps), and
 * web scanners' requests (the payload lists) among an Apache log's ordinary traffic, out of order.
 */

const data = join(__dirname, '..', '..', '..', '..', 'shared', 'data');
const ruleFiles = (domain: string) => readdirSync(join(__dirname, '..', '..', '..', 'rules', domain)).map((name) => `${domain}/${name}`);
// The whole rule set, as the correlator loads it.
const rules = realRules(...['linux', 'web', 'identity', 'network', 'windows'].flatMap(ruleFiles));

const logLines = (file: string) =>
  readFileSync(join(data, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');

/**
 * A web scanner at work among ordinary traffic: the payload lists rendered into access-log lines
 * from three scanner addresses, spread over the benign Apache log's first hours and written out of
 * order by up to 90 s (a server logs a request when it completes, stamped with when it began).
 */
function scannerAmongTraffic(): string[] {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const benign = logLines('elastic-examples/apache/apache_logs').slice(0, 4_000);
  const start = Date.UTC(2015, 4, 17, 10, 5, 0);
  const attacks = payloadLists.flatMap((list) =>
    readPayloads(list)
      .slice(0, 60)
      .flatMap((payload) => renderPayload(list, payload).map((r) => r.line)),
  );
  const scanners = ['198.51.100.23', '203.0.113.99', '192.0.2.200'];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const stamp = (ms: number) => {
    const d = new Date(ms);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${two(d.getUTCDate())}/${month[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
  };
  const lines = [...benign];
  attacks.forEach((line, i) => {
    const written = start + (i / attacks.length) * 3 * 3_600_000;
    const began = written - Math.floor(random() * 90_000);
    const attack = line.replace(/^\S+/, scanners[i % scanners.length]).replace(/\[[^\]]+\]/, `[${stamp(began)}]`);
    lines.splice(Math.floor((i / attacks.length) * lines.length), 0, attack);
  });
  return lines;
}

/** Events as the collector makes them from the corpus's lines: parsed, stamped with an id and the member. */
function corpus(file: string, now: Date): SocEvent[] {
  return eventsOf(file === 'scanner' ? scannerAmongTraffic() : logLines(file), file, now);
}

function eventsOf(lines: readonly string[], file: string, now: Date): SocEvent[] {
  const events: SocEvent[] = [];
  lines.forEach((line, i) => {
    const parsed = parseLogLine(line, { now, timeZone: 'UTC' });
    if (!parsed.ok) return;
    const partial = { ...(parsed.event as Record<string, unknown>), organization: { id: '0101' } };
    const completed = completeEvent(partial, `${file}:${i + 1}`, now.getTime());
    if ('event' in completed) events.push(completed.event);
  });
  return events;
}

interface AlertTotals {
  count: number;
  late: number;
  first: string;
  last: string;
}

/** What alerting makes of the detections: one alert per rule, member and group key, contributions folded in once. */
function alertsOf(detections: readonly Detection[]): Map<string, AlertTotals> {
  const alerts = new Map<string, AlertTotals>();
  const folded = new Set<string>();
  for (const detection of detections) {
    const contribution = detectionContributionId(detection);
    if (folded.has(contribution)) continue;
    folded.add(contribution);
    const key = `${detection.rule.id} ${detection.organization.id} ${detection.group_key}`;
    const alert = alerts.get(key);
    if (alert === undefined) {
      if (detection.event_count === 0) continue; // late events alone never raise an alert
      alerts.set(key, { count: detection.event_count, late: detection.late_event_count ?? 0, first: detection.first_seen, last: detection.last_seen });
      continue;
    }
    alert.count += detection.event_count;
    alert.late += detection.late_event_count ?? 0;
    if (detection.first_seen < alert.first) alert.first = detection.first_seen;
    if (detection.last_seen > alert.last) alert.last = detection.last_seen;
  }
  return alerts;
}

/** Replays the events in file order, cut where `cuts` says, through a fresh engine and stores. */
async function replay(events: readonly SocEvent[], sizes: (index: number) => number): Promise<Map<string, AlertTotals>> {
  const engine = new CorrelationEngine(rules, new IndicatorIndex(), members);
  const stores = { windows: new InMemoryWindowStore(), campaigns: new InMemoryCampaignStore() };
  const detections: Detection[] = [];
  const now = new Date('2026-12-02T00:00:00Z');
  for (let start = 0, batch = 0; start < events.length; batch++) {
    const end = Math.min(events.length, start + Math.max(1, sizes(batch)));
    detections.push(...(await evaluateAndCommit(engine, events.slice(start, end), stores, { now })).detections);
    start = end;
  }
  return alertsOf(detections);
}

const sorted = (alerts: Map<string, AlertTotals>) => [...alerts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe.each([
  ['an sshd auth.log', 'elastic-examples/ssh/auth.log', new Date('2026-12-01T00:00:00Z')],
  ['web scanners among ordinary traffic, lines up to 90 s out of order', 'scanner', new Date('2015-06-01T00:00:00Z')],
])('%s in any batching', (_name, file, now) => {
  const events = corpus(file, now);
  let whole: Map<string, AlertTotals>;

  beforeAll(async () => {
    whole = await replay(events, () => events.length);
  });

  it('raises alerts at all (else the comparison proves little)', () => {
    expect(events.length).toBeGreaterThan(5_000);
    expect(whole.size).toBeGreaterThan(0);
    // Some alert counts more events than its rule's threshold: events after the crossing are on it.
    expect(Math.max(...[...whole.values()].map((a) => a.count))).toBeGreaterThan(20);
  });

  it.each([1, 7, 500])('gives the same alerts and counts in batches of %i', async (size) => {
    expect(sorted(await replay(events, () => size))).toEqual(sorted(whole));
  });

  it('gives the same alerts and counts however the batches are cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 40 }), async (sizes) => {
        expect(sorted(await replay(events, (batch) => sizes[batch % sizes.length]))).toEqual(sorted(whole));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 8), seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
  });
});
