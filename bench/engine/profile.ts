import { join } from 'node:path';
import type { SocEvent } from '@soc/contracts';
import { commitCorrelation, CorrelationEngine } from '@soc/correlation';
import { MemberDirectory } from '@soc/members';
import { compileRules, loadRules } from '@soc/sigma';
import { ReplayClock } from './replay-clock';
import { CorpusBuilder, toEvents } from './corpus';
import { buildIndex, generateIndicators } from './indicator-set';
import { realRuleDocuments, ruleFiles } from './rule-variants';

/** One configuration, for profiling: `node --cpu-prof -r ./scripts/register-paths.js dist/bench/engine/profile.js <rules> <indicators> <sshd lines> <windows events> <rounds>`. */
async function main(): Promise<void> {
  const [rules, iocs] = [Number(process.argv[2] ?? 30), Number(process.argv[3] ?? 100_000)];
  const corpus = new CorpusBuilder(1)
    .background(Number(process.argv[4] ?? 60_000), Number(process.argv[5] ?? 40_000))
    .sshBruteForce(5)
    .build();
  const { events } = toEvents(corpus.raw);
  const members = MemberDirectory.withDefaults({ members: [...corpus.ranges].map(([id, range]) => ({ id, network_ranges: [range] })) } as never);
  const ruleSet = compileRules(loadRules(ruleFiles(realRuleDocuments(join(__dirname, '..', '..', '..', 'rules')), rules, 1)).rules).ruleSet;
  const index = buildIndex(generateIndicators(iocs, 1));
  const engine = new CorrelationEngine(ruleSet, index, members);
  for (let round = 0; round < Number(process.argv[6] ?? 2); round++) {
    const clock = new ReplayClock();
    const stores = clock.stores();
    const started = process.hrtime.bigint();
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
    process.stdout.write(`${rules} rules, ${iocs} indicators: ${Math.round(events.length / seconds)} events/s\n`);
  }
}

void main();
