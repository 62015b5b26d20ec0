import { join } from 'node:path';
import type { SocEvent } from '@soc/contracts';
import { commitCorrelation, CorrelationEngine } from '@soc/correlation';
import { MemberDirectory } from '@soc/members';
import { compileRules, GroupTable, hashGroup, InMemoryWindowStore, loadRules, type WindowState, type WindowStore, type WindowUpdate } from '@soc/sigma';
import { CorpusBuilder, toEvents } from './corpus';
import { buildIndex, generateIndicators } from './indicator-set';
import { ReplayClock } from './replay-clock';
import { realRuleDocuments, ruleFiles } from './rule-variants';

/**
 * What the in-memory window store costs against a bare hash table: records the window updates of a
 * 30-rule run, then replays them into the store and into `BareTable` in turns, and prints the
 * minimum and median µs per update as JSON. `tsc -p bench/engine/tsconfig.json && node
 * -r ./scripts/register-paths.js dist/bench/engine/store-replay.js [rounds]`.
 */
class BareTable implements WindowStore {
  private readonly scopes = new Map<string, number>();
  private readonly rows = { hash: new Int32Array(1 << 20), scopeId: new Int32Array(1 << 20), group: [] as (string | null)[] };
  private readonly table = new GroupTable(this.rows);
  private used = 0;
  private readonly time = new Float64Array(1 << 21);
  private readonly value: string[] = [];
  private readonly eventId: string[] = [];
  private entriesUsed = 0;
  private readonly state: WindowState = { entries: [], watermark: null, firedUntil: null, late: [], added: [], suppressed: 0, evicted: 0 };

  /** Hashes the group, probes, adds a row when new and writes the entries: nothing else. */
  async applyBatch(updates: readonly WindowUpdate[]): Promise<WindowState[]> {
    const states: WindowState[] = new Array(updates.length);
    for (let i = 0; i < updates.length; i++) {
      const update = updates[i];
      let scope = this.scopes.get(update.scope);
      if (scope === undefined) this.scopes.set(update.scope, (scope = this.scopes.size));
      const hash = hashGroup(7, scope, update.group);
      if (this.table.find(scope, update.group, hash) === -1) {
        const row = this.used++;
        this.rows.hash[row] = hash;
        this.rows.scopeId[row] = scope;
        this.rows.group[row] = update.group;
        this.table.insert(row);
      }
      for (const entry of update.entries) {
        const row = this.entriesUsed++;
        this.time[row] = entry.time;
        this.value[row] = entry.value;
        this.eventId[row] = entry.eventId;
      }
      states[i] = this.state;
    }
    return states;
  }

  async markFired(): Promise<void> {}
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 10);
  const corpus = new CorpusBuilder(1).background(120_000, 80_000).sshBruteForce(5).build();
  const { events } = toEvents(corpus.raw);
  const members = MemberDirectory.withDefaults({ members: [...corpus.ranges].map(([id, range]) => ({ id, network_ranges: [range] })) } as never);
  const ruleSet = compileRules(loadRules(ruleFiles(realRuleDocuments(join(__dirname, '..', '..', '..', 'rules')), 30, 1)).rules).ruleSet;
  const engine = new CorrelationEngine(ruleSet, buildIndex(generateIndicators(10_000, 1)), members);
  const clock = new ReplayClock();
  const stores = clock.stores();
  const recorded: { now: number; updates: WindowUpdate[] }[] = [];
  const recording: WindowStore = {
    applyBatch: async (updates) => {
      recorded.push({ now: clock.now(), updates: updates.map((u) => ({ ...u, entries: [...u.entries] })) });
      return stores.windows.applyBatch(updates);
    },
    markFired: (fired) => stores.windows.markFired(fired),
  };
  for (let i = 0; i < events.length; i += 500) {
    const batch = events.slice(i, i + 500) as SocEvent[];
    clock.advance(batch);
    const recordingStores = { ...stores, windows: recording };
    await commitCorrelation(recordingStores, (await engine.evaluate(batch, recordingStores)).commit);
  }
  const total = recorded.reduce((n, r) => n + r.updates.length, 0);
  let now = 0;
  const makers: Record<string, () => WindowStore> = { in_memory_store: () => new InMemoryWindowStore({ now: () => now }), bare_table: () => new BareTable() };
  const times: Record<string, number[]> = { in_memory_store: [], bare_table: [] };
  for (let round = 0; round < rounds; round++) {
    for (const [name, make] of Object.entries(makers)) {
      const store = make();
      const before = process.cpuUsage();
      for (const r of recorded) {
        now = r.now;
        await store.applyBatch(r.updates);
      }
      const used = process.cpuUsage(before);
      times[name].push((used.user + used.system) / total);
    }
  }
  const figures: Record<string, number> = { updates: total, rounds };
  for (const [name, list] of Object.entries(times)) {
    list.sort((a, b) => a - b);
    figures[`${name}_us_per_update_min`] = Number(list[0].toFixed(3));
    figures[`${name}_us_per_update_median`] = Number(list[list.length >> 1].toFixed(3));
  }
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

void main();
