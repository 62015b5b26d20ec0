import { join, resolve } from 'node:path';
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import type { SocEvent } from '@soc/contracts';
import type * as Sigma from '@soc/sigma';
import { CorpusBuilder, toEvents } from './corpus';
import { realWindowsRecords, sigmahqRuleFiles } from './sigmahq';

/**
 * Two (or more) builds of libs/sigma side by side in one process, each with the whole accepted SigmaHQ
 * rule set (+ our rules/) and an in-memory window store, taking turns over the pre-parsed SigmaHQ corpus
 * (corpus order) with `RuleSet.evaluate` (the rule set alone: no indicators), events per CPU second:
 *
 *   node -r ./scripts/register-paths.js dist/bench/engine/sigma-ab.js <rounds> <libs/sigma/src dir>...
 *
 * A dir is a compiled libs/sigma/src (e.g. the build of the commit before, transpiled into /tmp). The
 * machine is shared and drifts by tens of percent within a minute; in turns of `SIGMA_AB_TURN` events
 * (default 2,000) the builds meet the same machine. Prints per round each build's rate and its ratio to
 * the first, the detections each found (they must agree), and at the end the medians. Round 0 (plans
 * and scanners built, JIT warm-up) is reported apart. `SIGMA_AB_PROFILE=<file>`: a CPU profile of the
 * rounds after the first (with one build: where its time goes without rule loading in the picture).
 */
const rulesDir = join(__dirname, '..', '..', '..', 'rules');

interface Side {
  name: string;
  lib: typeof Sigma;
  ruleSet: Sigma.RuleSet;
}

function configure(lib: typeof Sigma, keep: (file: string, document: number) => boolean, files: Sigma.RuleFile[]): Sigma.RuleSet {
  const loaded = lib.loadRules(files);
  const compiled = lib.compileRules(loaded.rules.filter((r) => keep(r.source.file, r.source.document)));
  if (compiled.errors.length > 0) throw new Error(compiled.errors.slice(0, 5).map(lib.formatRuleError).join('\n'));
  return compiled.ruleSet;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const dirs = process.argv.slice(3);
  if (dirs.length === 0) throw new Error('name at least one compiled libs/sigma/src directory');
  const turn = Number(process.env.SIGMA_AB_TURN ?? 2_000);
  const records = realWindowsRecords().map((r) => r.record);
  const corpus = new CorpusBuilder(1).background(120_000, 80_000).realWindows(records, 100_000).build();
  const { events } = toEvents(corpus.raw);
  const times = events.map((e) => Date.parse(e['@timestamp']));

  const sigmaFiles = sigmahqRuleFiles();
  const sides: Side[] = dirs.map((dir) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lib = require(join(resolve(dir), 'index.js')) as typeof Sigma;
    const report = lib.buildImportReport(sigmaFiles);
    const accepted = new Set(report.accepted.map((r) => `${r.file}\u0000${r.document}`));
    const acceptedFiles = new Set(report.accepted.map((r) => r.file));
    const ours = lib.readRuleFiles(rulesDir).map((f) => ({ name: `rules/${f.name}`, text: f.text }));
    const oursNames = new Set(ours.map((f) => f.name));
    const files = [...sigmaFiles.filter((f) => acceptedFiles.has(f.name)), ...ours];
    const ruleSet = configure(lib, (file, document) => oursNames.has(file) || accepted.has(`${file}\u0000${document}`), files);
    process.stderr.write(`${dir}: ${ruleSet.rules.length} rules\n`);
    return { name: dir, lib, ruleSet };
  });

  const ratios: number[][] = sides.map(() => []);
  const rates: number[][] = sides.map(() => []);
  let session: Session | undefined;
  for (let round = 0; round < rounds; round++) {
    if (round === 1 && process.env.SIGMA_AB_PROFILE) {
      session = new Session();
      session.connect();
      await new Promise((done) => session!.post('Profiler.enable', () => session!.post('Profiler.start', done)));
    }
    const cpu = sides.map(() => 0);
    const detections = sides.map(() => 0);
    const clocks = sides.map(() => ({ time: 0 }));
    const stores = sides.map((side, s) => new side.lib.InMemoryWindowStore({ now: () => clocks[s].time }));
    for (let from = 0, t = 0; from < events.length; from += turn, t++) {
      for (let k = 0; k < sides.length; k++) {
        const s = (k + t + round) % sides.length;
        const started = process.cpuUsage();
        for (let i = from; i < Math.min(from + turn, events.length); i += 500) {
          const end = Math.min(i + 500, from + turn, events.length);
          const batch = events.slice(i, end) as SocEvent[];
          if (times[end - 1] > clocks[s].time) clocks[s].time = times[end - 1];
          const result = await sides[s].ruleSet.evaluate(batch, stores[s], { times: times.slice(i, end) });
          await stores[s].markFired(result.fired);
          detections[s] += result.detections.length;
        }
        const used = process.cpuUsage(started);
        cpu[s] += used.user + used.system;
      }
    }
    const eps = cpu.map((micros) => events.length / (micros / 1e6));
    sides.forEach((_, s) => {
      rates[s].push(eps[s]);
      ratios[s].push(eps[s] / eps[0]);
    });
    process.stdout.write(
      `round ${round}: ${sides.map((side, s) => `${side.name} ${Math.round(eps[s])} ev/CPU-s (${(eps[s] / eps[0]).toFixed(3)}×, ${detections[s]} detections)`).join(' | ')}\n`,
    );
  }
  if (session !== undefined) {
    const profile = await new Promise<unknown>((done) => session!.post('Profiler.stop', (_error, result) => done(result.profile)));
    writeFileSync(process.env.SIGMA_AB_PROFILE!, JSON.stringify(profile));
  }
  const median = (xs: number[]): number => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  };
  process.stdout.write(
    `after round 0, medians: ${sides.map((side, s) => `${side.name} ${Math.round(median(rates[s].slice(1)))} ev/CPU-s, ratio ${median(ratios[s].slice(1)).toFixed(3)}×`).join(' | ')}\n`,
  );
}

void main();
