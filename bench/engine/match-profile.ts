import { join } from 'node:path';
import type { SocEvent } from '@soc/contracts';
import { compileRules, loadRules, type RuleSet } from '@soc/sigma';
import { CorpusBuilder, toEvents } from './corpus';
import { realRuleDocuments, ruleFiles } from './rule-variants';
import { realWindowsRecords, sigmaConfiguration } from './sigmahq';

/**
 * Matching alone (`RuleSet.matchingRules`), per kind of event (dataset and code), of the SigmaHQ rule
 * set and of the 30-rule set, over the pre-parsed SigmaHQ corpus, in turns per kind:
 * `node -r ./scripts/register-paths.js dist/bench/engine/match-profile.js [sshd lines] [windows events] [real windows events] [rounds]`.
 * Prints per kind the events, the CPU µs per event of each set (best round) and the SigmaHQ set's
 * share of its matching time, then each set's rate: where the rule set's time goes, without the
 * engine around it (indicators, windows, detections).
 */
function main(): void {
  const [sshd, windows, real, rounds] = [2, 3, 4, 5].map((i, k) => Number(process.argv[i] ?? [120_000, 80_000, 100_000, 5][k]));
  const records = realWindowsRecords().map((r) => r.record);
  const corpus = new CorpusBuilder(1).background(sshd, windows).realWindows(records, real).build();
  const { events } = toEvents(corpus.raw);
  const rulesDir = join(__dirname, '..', '..', '..', 'rules');
  const sets: [string, RuleSet][] = [
    ['sigmahq', sigmaConfiguration(rulesDir).ruleSet],
    ['30', compileRules(loadRules(ruleFiles(realRuleDocuments(rulesDir), 30, 20260105)).rules).ruleSet],
  ];
  const kinds = new Map<string, SocEvent[]>();
  for (const event of events) {
    const key = `${String(event.event?.dataset)} ${String(event.event?.code)}`;
    let list = kinds.get(key);
    if (!list) kinds.set(key, (list = []));
    list.push(event);
  }
  const best = sets.map(() => new Map<string, number>());
  const totals = sets.map(() => Infinity);
  const matches = sets.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    const total = sets.map(() => 0);
    for (const [key, list] of kinds) {
      sets.forEach(([, ruleSet], s) => {
        const started = process.cpuUsage();
        let found = 0;
        for (let i = 0; i < list.length; i++) found += ruleSet.matchingRules(list[i]).length;
        const used = process.cpuUsage(started);
        const nanos = (used.user + used.system) * 1000;
        if (round === 0) matches[s] += found;
        total[s] += nanos;
        best[s].set(key, Math.min(best[s].get(key) ?? Infinity, nanos));
      });
    }
    sets.forEach((_, s) => (totals[s] = Math.min(totals[s], total[s])));
    process.stderr.write(`round ${round}: ${sets.map(([name], s) => `${name} ${Math.round(events.length / (total[s] / 1e9))}`).join(', ')} events/CPU-s\n`);
  }
  const sum = [...best[0].values()].reduce((a, b) => a + b, 0);
  for (const [key, nanos] of [...best[0]].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    const n = kinds.get(key)!.length;
    const other = best[1].get(key)! / n / 1000;
    process.stdout.write(
      `${key.padEnd(40)} ${String(n).padStart(7)} ${(nanos / n / 1000).toFixed(2).padStart(8)} µs (30 rules: ${other.toFixed(2).padStart(6)}) ${((100 * nanos) / sum).toFixed(1).padStart(5)} %\n`,
    );
  }
  sets.forEach(([name], s) =>
    process.stdout.write(
      `${name}: ${events.length} events, best round ${Math.round(events.length / (totals[s] / 1e9))} events/CPU-s, ${matches[s]} rule matches\n`,
    ),
  );
}

main();
