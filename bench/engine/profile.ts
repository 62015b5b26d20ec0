import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { SocEvent } from '@soc/contracts';
import { commitCorrelation, CorrelationEngine } from '@soc/correlation';
import { MemberDirectory } from '@soc/members';
import { compileRules, loadRules, readRuleFiles } from '@soc/sigma';
import { ReplayClock } from './replay-clock';
import { CorpusBuilder, toEvents } from './corpus';
import { buildIndex, generateIndicators } from './indicator-set';
import { realRuleDocuments, ruleFiles } from './rule-variants';
import { realWindowsRecords, sigmaConfiguration } from './sigmahq';

/**
 * One configuration, for profiling: `node --cpu-prof -r ./scripts/register-paths.js dist/bench/engine/profile.js <rules> <indicators> <sshd lines> <windows events> <rounds>`.
 * `<rules>` = `sigmahq`: every accepted SigmaHQ rule + ours, and the corpus gains as many real Windows
 * events (OTRF, SigmaHQ regression data) as `<windows events>` says; `ours`: our own rules/ alone on
 * that same corpus (bench:engine's `eps_our_rules_100k_iocs_sigmahq_corpus` configuration).
 */
async function main(): Promise<void> {
  const sigmahq = process.argv[2] === 'sigmahq';
  const ours = process.argv[2] === 'ours';
  const [rules, iocs] = [sigmahq || ours ? 0 : Number(process.argv[2] ?? 30), Number(process.argv[3] ?? 100_000)];
  const builder = new CorpusBuilder(1).background(Number(process.argv[4] ?? 60_000), Number(process.argv[5] ?? 40_000)).sshBruteForce(5);
  if (sigmahq || ours)
    builder.realWindows(
      realWindowsRecords().map((r) => r.record),
      Number(process.argv[5] ?? 40_000),
    );
  const corpus = builder.build();
  const { events } = toEvents(corpus.raw);
  const members = MemberDirectory.withDefaults({ members: [...corpus.ranges].map(([id, range]) => ({ id, network_ranges: [range] })) } as never);
  const rulesDir = join(__dirname, '..', '..', '..', 'rules');
  const ruleSet = sigmahq
    ? sigmaConfiguration(rulesDir).ruleSet
    : compileRules(loadRules(ours ? readRuleFiles(rulesDir) : ruleFiles(realRuleDocuments(rulesDir), rules, 1)).rules).ruleSet;
  const index = buildIndex(generateIndicators(iocs, 1));
  const engine = new CorrelationEngine(ruleSet, index, members);
  // `PROFILE_OUT=<file>`: a CPU profile of the rounds after the first only (no rule loading, corpus
  // building or first-round plan building in the picture), instead of `--cpu-prof`'s whole process.
  let session: Session | undefined;
  for (let round = 0; round < Number(process.argv[6] ?? 2); round++) {
    if (round === 1 && process.env.PROFILE_OUT) {
      session = new Session();
      session.connect();
      await new Promise((done) => session!.post('Profiler.enable', () => session!.post('Profiler.start', done)));
    }
    const clock = new ReplayClock();
    const stores = clock.stores();
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < events.length; i += 500) {
      const batch = events.slice(i, i + 500) as SocEvent[];
      clock.advance(batch);
      // `rules` as the 6th argument: the rule set alone, to see what the engine adds around it.
      if (process.argv[7] === 'rules') {
        const { fired } = await ruleSet.evaluate(batch, stores.windows);
        await stores.windows.markFired(fired);
      } else await commitCorrelation(stores, (await engine.evaluate(batch, stores)).commit);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    process.stdout.write(
      `${sigmahq ? 'sigmahq' : ours ? 'ours' : rules} rules, ${iocs} indicators: ${Math.round(events.length / seconds)} events/s, ${Math.round(events.length / cpuSeconds)} events/CPU-s\n`,
    );
  }
  if (session !== undefined) {
    const profile = await new Promise<unknown>((done) => session!.post('Profiler.stop', (_error, result) => done(result.profile)));
    writeFileSync(process.env.PROFILE_OUT!, JSON.stringify(profile));
  }
}

void main();
