import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Detection, SocEvent } from '@soc/contracts';
import { parseAllDocuments, stringify } from 'yaml';
import { InMemoryWindowStore } from './in-memory-window-store';
import { completeEvent } from './rule-tests';
import type { RuleSet } from './rule-set';
import { compileOrThrow, evaluateAndMark } from './testing/rules';
import { seededRandom } from './testing/windows';

/** The project's own rules (tests stripped), as documents. */
function projectRules(): Record<string, any>[] {
  const root = join(__dirname, '..', '..', '..', 'rules');
  const documents: Record<string, any>[] = [];
  for (const domain of readdirSync(root).sort()) {
    for (const file of readdirSync(join(root, domain)).sort()) {
      if (!file.endsWith('.yml')) continue;
      for (const doc of parseAllDocuments(readFileSync(join(root, domain, file), 'utf8'))) {
        const rule = doc.toJS() as Record<string, any>;
        delete rule.tests;
        documents.push(rule);
      }
    }
  }
  return documents;
}

/** A tuned copy as a SOC makes one: another id, timespan and threshold, the same base rules and groups. */
function tunedCopy(rule: Record<string, any>, n: number): Record<string, any> {
  const copy = structuredClone(rule);
  delete copy.name;
  copy.id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  copy.title = `${rule.title} (tuned ${n})`;
  copy.correlation.timespan = ['2m', '7m', '30m'][n % 3];
  // At most 8: what the stream below puts into two minutes from one address, so that every copy fires.
  if (copy.correlation.condition?.gte !== undefined)
    copy.correlation.condition.gte = Math.min(8, Math.max(2, Math.round(copy.correlation.condition.gte * [0.5, 1.2, 0.3][n % 3])));
  return copy;
}

const text = (documents: Record<string, any>[]) => documents.map((d) => stringify(d)).join('---\n');

/** sshd failures and logins from a few addresses and users at two members, with disorder, late events and redeliveries. */
function stream(seed: number): SocEvent[][] {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const ips = ['203.0.113.7', '203.0.113.8', '198.51.100.23', '192.0.2.44', '192.0.2.45'];
  const users = [
    'root',
    'admin',
    'test',
    'oracle',
    'ubuntu',
    'pi',
    'anna',
    'bo',
    'carl',
    'dorte',
    'erik',
    'freja',
    'gustav',
    'hanne',
    'ib',
    'jens',
    'karen',
    'lars',
    'mette',
    'niels',
  ];
  let clock = Date.parse('2026-01-05T10:00:00Z');
  const events: SocEvent[] = [];
  for (let i = 0; i < 1_500; i++) {
    clock += Math.floor(next() * 6_000);
    const roll = next();
    // Mostly in order; some a little out of order, a few more than the five-minute lateness behind.
    const time = roll < 0.03 ? clock - 360_000 - Math.floor(next() * 300_000) : roll < 0.2 ? clock - Math.floor(next() * 120_000) : clock;
    const success = next() < 0.25;
    const partial = {
      '@timestamp': new Date(time).toISOString(),
      event: { dataset: 'linux.sshd', category: ['authentication'], type: ['start'], outcome: success ? 'success' : 'failure' },
      source: { ip: pick(ips) },
      user: { name: pick(users) },
      organization: { id: pick(['0101', '0751']) },
    };
    const result = completeEvent(partial, `s${seed}-e${i}`, time);
    if ('problems' in result) throw new Error(result.problems.join('\n'));
    events.push(result.event);
  }
  const batches: SocEvent[][] = [];
  for (let i = 0; i < events.length;) {
    const size = 1 + Math.floor(next() * 60);
    const batch = events.slice(i, i + size);
    // Redeliveries: an event of an earlier batch comes again.
    if (next() < 0.2 && i > 0) batch.push(events[Math.floor(next() * i)]);
    batches.push(batch);
    i += size;
  }
  return batches;
}

/** What identifies a correlation detection and what it says, by rule id. */
function summary(detections: readonly Detection[], ids: ReadonlySet<string>): Record<string, string[]> {
  const byRule: Record<string, string[]> = {};
  for (const d of detections) {
    if (!ids.has(d.rule.id)) continue;
    (byRule[d.rule.id] ??= []).push(
      `${d.fingerprint} ${d.first_seen} ${d.last_seen} ${d.event_count} ${d.event_ids.join(',')} ${JSON.stringify(d.observables)}`,
    );
  }
  for (const list of Object.values(byRule)) list.sort();
  return byRule;
}

async function run(ruleSet: RuleSet, batches: SocEvent[][]): Promise<{ detections: Detection[]; late: number; groups: number }> {
  const store = new InMemoryWindowStore();
  const detections: Detection[] = [];
  let late = 0;
  for (const batch of batches) {
    const result = await evaluateAndMark(ruleSet, batch, store, { now: new Date('2026-01-06T00:00:00Z') });
    detections.push(...result.detections);
    late += result.late;
  }
  return { detections, late, groups: store.size };
}

describe('correlation families', () => {
  const real = projectRules();
  const detectionRules = real.filter((d) => !d.correlation);
  const sshCorrelations = real.filter((d) => d.correlation && (d.correlation.rules as string[]).some((r) => r.startsWith('ssh_')));
  const copies = sshCorrelations.flatMap((rule, i) => [tunedCopy(rule, 2 * i + 1), tunedCopy(rule, 2 * i + 2)]);
  const correlations = [...sshCorrelations, ...copies];
  const ids = new Set(correlations.map((c) => c.id as string));

  it('fire every member exactly as each correlation fires alone (tuned copies, disorder, late events, redeliveries)', async () => {
    // Brute force, slow brute force, user enumeration, spraying and login-after-failures, each with two
    // tuned copies: families of correlations sharing base rules and group-by.
    expect(sshCorrelations.map((c) => c.correlation.type).sort()).toEqual(['event_count', 'event_count', 'temporal_ordered', 'value_count', 'value_count']);
    const together = compileOrThrow(text([...detectionRules, ...correlations]));
    const alone = correlations.map((c) => compileOrThrow(text([...detectionRules, c])));
    for (let seed = 1; seed <= 4; seed++) {
      const batches = stream(seed);
      const shared = await run(together, batches);
      const separate = await Promise.all(alone.map((ruleSet) => run(ruleSet, batches)));
      const expected = summary(
        separate.flatMap((r) => r.detections),
        ids,
      );
      expect(summary(shared.detections, ids)).toEqual(expected);
      expect(shared.late).toBe(separate.reduce((sum, r) => sum + r.late, 0));
      // The families really share: fewer groups held than the correlations alone hold together.
      expect(shared.groups).toBeLessThan(separate.reduce((sum, r) => sum + r.groups, 0) / 2);
      // Every member of every family fired, or the comparison proves little.
      expect(Object.keys(expected).sort()).toEqual([...ids].sort());
    }
  });

  it('give each family tap readers of its own, for the same fields', () => {
    // With thousands of rules, the shared reader of a field sees every event shape those rules meet;
    // a tap's own reader (its own generated `read`) sees only its base rule's events.
    const ruleSet = compileOrThrow(text([...detectionRules, ...correlations]));
    const taps = ruleSet['familyTaps'].flat();
    const tapReaders = taps.flatMap((tap) => [...tap.groupReaders, ...tap.valueReaders]);
    const ruleReaders = new Set(ruleSet['detectionRules'].flatMap((rule) => rule.detection.atoms.map((atom) => atom.reader)));
    expect(tapReaders.length).toBeGreaterThan(5);
    expect(new Set(tapReaders).size).toBe(tapReaders.length);
    expect(new Set(tapReaders.map((r) => r.read)).size).toBe(tapReaders.length);
    for (const reader of tapReaders) expect(ruleReaders.has(reader)).toBe(false);
    // The same fields as the correlations name, and the same ids (families are formed by reader id).
    const byId = new Map([...ruleReaders].map((r) => [r.id, r]));
    for (const reader of tapReaders) if (byId.has(reader.id)) expect(byId.get(reader.id)!.paths).toEqual(reader.paths);
    expect(tapReaders.map((r) => r.label)).toEqual(expect.arrayContaining(['source.ip', 'user.name']));
  });
});
