import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorrelationEngine, type CorrelationStores } from '@soc/correlation';
import type { IndicatorIndex } from '@soc/indicators';
import { MemberDirectory } from '@soc/members';
import type { RuleSet } from '@soc/sigma';
import { parseRawLine, type RawLine } from './corpus';
import { batchSize, CorpusStream, type Run, streamAll, streamSideBySide } from './corpus-stream';
import { ensureInstalled, runFail2banRegex, runSec } from './external-tools';
import { ForgetfulWindowStore } from './forgetful-window-store';
import { buildIndex, generateIndicators } from './indicator-set';
import { score } from './labels';
import { compileRuleFiles, realRuleDocuments, ruleFiles } from './rule-variants';
import { regressionRecords, sigmaConfiguration } from './sigmahq';
import { normaliseJsonRecord } from '@soc/parsing';
import { stamp } from './corpus';
import { corpusBuilder, realWindowsEvents, seed, sigmahqCorpus, warmSeed } from './engine-corpus';
import { processTurns, type ProcessRun } from './process-turns';

/**
 * `npm run bench:engine`: the correlation engine on one core over a seeded, labelled corpus; see
 * docs/PERFORMANCE.md "Correlation engine". Prints one JSON object on stdout, progress on stderr.
 */
const rulesDir = join(__dirname, '..', '..', '..', 'rules');

function log(message: string): void {
  process.stderr.write(`[bench:engine] ${message}\n`);
}

function gc(): void {
  const collect = (global as { gc?: () => void }).gc;
  if (!collect) throw new Error('run node with --expose-gc');
  collect();
  collect();
}

/** One engine of a side-by-side run. */
interface Configuration {
  ruleSet: RuleSet;
  index: IndicatorIndex;
  /** Stores instead of the in-memory ones, made per stream (warm-up, measured pass). */
  stores?: () => Partial<CorrelationStores>;
}

interface Throughput {
  /** Events per engine CPU second (the per-core figure), the stores' Redis included where it has one. */
  cpu: number;
  /** The stores' Redis's part of that CPU (0 without one). */
  storeShare: number;
  /** Events per engine wall-clock second. */
  wall: number;
  /** Events per parse CPU second. */
  parse: number;
  /** Events per CPU second of the correlator's decoding of the stream entries (`JSON.parse`, shape check). */
  decode: number;
  /** Events per CPU second of decoding and the engine together (the engine's Redis included): the correlator's share. */
  withDecode: number;
}

/**
 * The rule sets over the whole corpus side by side, after a warm-up side by side over `warm`: a whole
 * corpus of the same recipe from another seed (other addresses, users and picks of real events), so the
 * engines run at the speed of a correlator that has been up for a while, not of its first minutes, and
 * no data cache (indicator promotions, detection identities) holds the measured corpus beforehand.
 * (A warm-up of the first 50k lines of the measured corpus left the SigmaHQ engine ~20 % below its
 * steady state in the first full pass.)
 * Each engine has an index of its own: promotions are fed back into the index, and a stream that
 * saw another's promotion a few batches early would find indicator hits it would not find alone.
 */
async function throughputs(
  configs: readonly Configuration[],
  members: MemberDirectory,
  raw: readonly RawLine[],
  warm: readonly RawLine[],
): Promise<Throughput[]> {
  const engines = configs.map((c) => new CorrelationEngine(c.ruleSet, c.index, members));
  const streams = (lines: readonly RawLine[]) =>
    engines.map((engine, i) => new CorpusStream(engine, configs[i].index, lines, lines.length, configs[i].stores?.()));
  await streamSideBySide(streams(warm)); // warm-up (parser and engine), another seed's corpus
  const measured = await streamSideBySide(streams(raw));
  return measured.map((run) => ({
    cpu: Math.round(run.events / run.engine.cpuSeconds),
    storeShare: 0,
    wall: Math.round(run.events / run.engine.wallSeconds),
    parse: Math.round(run.events / run.parse.cpuSeconds),
    decode: Math.round(run.events / run.decode.cpuSeconds),
    withDecode: Math.round(run.events / (run.decode.cpuSeconds + run.engine.cpuSeconds)),
  }));
}

/**
 * All accepted SigmaHQ rules + our own rules/ against the 30-rule set and our rules alone, side by
 * side with 100k indicators each, each configuration in a process of its own (`processTurns`), on
 * the corpus plus `realWindowsEvents` real Windows events (OTRF, SigmaHQ's regression events) through
 * libs/parsing's Windows path. Also, in this process, the compile time, the heap the rule set holds,
 * and a sanity check that the set matches the regression events it is meant to.
 */
async function sigmahqFigures(members: MemberDirectory, ours: RuleSet): Promise<Record<string, number>> {
  const { raw, distinctRecords } = sigmahqCorpus(seed);
  log(`SigmaHQ corpus: ${raw.length} lines, ${realWindowsEvents} of them real Windows events (${distinctRecords} distinct)`);
  gc();
  const before = process.memoryUsage().heapUsed;
  const config = sigmaConfiguration(rulesDir);
  // The rule index's plans and their needle scanners are built the first time an event of a log
  // source and code meets them: one event of each kind in the corpus builds them here, timed with
  // the compile and held in the heap figure.
  let warmNanos = 0n;
  const seen = new Set<string>();
  raw.forEach((line, i) => {
    const event = parseRawLine(line, `warm${i}`);
    if (event === undefined) return;
    const key = `${event.event?.dataset}\u0000${event.event?.code}`;
    if (seen.has(key)) return;
    seen.add(key);
    const started = process.hrtime.bigint();
    config.ruleSet.matchingRules(event);
    warmNanos += process.hrtime.bigint() - started;
  });
  const warmSeconds = Number(warmNanos) / 1e9;
  gc();
  const heapMbRules = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  const compileSeconds = config.compileSeconds + warmSeconds;
  log(
    `SigmaHQ: ${config.sigmahqAccepted} of ${config.sigmahqDocuments} documents accepted; ${config.rulesLoaded} rules loaded and compiled in ` +
      `${config.compileSeconds.toFixed(2)} s, plans and scanners for ${seen.size} kinds of event in ${warmSeconds.toFixed(2)} s; ${heapMbRules.toFixed(0)} MB`,
  );

  // Sanity: the regression events, through the real Windows path, meet the rules they belong to.
  // A case is a file of events and the number of them its rule must match (SigmaHQ's info.yml).
  let regressionCases = 0;
  let regressionExact = 0;
  let regressionMatches = 0;
  const accepted = new Set(config.ruleSet.rules.map((r) => r.id));
  const member = members.all()[0].id;
  const cases = new Map<string, { ruleId: string; expected: number; matched: number }>();
  for (const [i, r] of regressionRecords().entries()) {
    const parsed = normaliseJsonRecord(r.record);
    const matching = parsed.ok ? config.ruleSet.matchingRules(stamp(parsed.event as Record<string, any>, `regression-${i}`, member)) : [];
    regressionMatches += matching.length;
    if (r.expects !== undefined && accepted.has(r.expects.ruleId))
      cases.set(r.source, { ruleId: r.expects.ruleId, expected: r.expects.matchCount, matched: 0 });
    const open = cases.get(r.source);
    if (open !== undefined && matching.includes(open.ruleId)) open.matched++;
  }
  for (const c of cases.values()) {
    regressionCases++;
    if (c.matched === c.expected) regressionExact++;
  }

  // Each configuration in a process of its own, as the correlator runs one rule set (processTurns).
  // Our own rules alone too: the SigmaHQ configuration holds all of them, the 30-rule set only 30,
  // so 30 → ours → ours + SigmaHQ says what our other rules cost and what SigmaHQ's add.
  const inHeap = await processTurns(['30', 'ours', 'sigmahq'], false);
  const [rate30, rateOurs, rateSigma] = inHeap.map((run) => throughputOf(run));
  log(`SigmaHQ corpus: 30 rules ${rate30.cpu}, ours ${rateOurs.cpu}, ours + SigmaHQ ${rateSigma.cpu} events/CPU-s`);

  // The same three with the correlator's own stores: windows and campaigns in Redis (a redis-server
  // per configuration, whose CPU counts with the engine's), as the service runs.
  const [redis30, redisOurs, redisSigma] = (await processTurns(['30', 'ours', 'sigmahq'], true)).map((run) => throughputOf(run));
  log(`SigmaHQ corpus, state in Redis: 30 rules ${redis30.cpu}, ours ${redisOurs.cpu}, ours + SigmaHQ ${redisSigma.cpu} events/CPU-s`);
  return {
    sigmahq_corpus_events: raw.length,
    sigmahq_corpus_real_windows_events: realWindowsEvents,
    sigmahq_documents: config.sigmahqDocuments,
    sigmahq_accepted: config.sigmahqAccepted,
    rules_loaded: config.rulesLoaded,
    rule_compile_seconds: Number(compileSeconds.toFixed(2)),
    rule_load_compile_seconds: Number(config.compileSeconds.toFixed(2)),
    heap_mb_rules: Math.round(heapMbRules),
    eps_30_rules_100k_iocs_sigmahq_corpus: rate30.cpu,
    our_rules_loaded: ours.rules.length,
    eps_our_rules_100k_iocs_sigmahq_corpus: rateOurs.cpu,
    eps_sigmahq_rules_100k_iocs: rateSigma.cpu,
    eps_wall_sigmahq_rules_100k_iocs: rateSigma.wall,
    decode_eps_sigmahq_corpus: rateSigma.decode,
    eps_sigmahq_rules_100k_iocs_with_decode: rateSigma.withDecode,
    eps_30_rules_100k_iocs_sigmahq_corpus_with_decode: rate30.withDecode,
    slowdown_30_to_sigmahq_rules: Number((rate30.cpu / rateSigma.cpu).toFixed(2)),
    slowdown_30_to_our_rules: Number((rate30.cpu / rateOurs.cpu).toFixed(2)),
    slowdown_ours_to_sigmahq_rules: Number((rateOurs.cpu / rateSigma.cpu).toFixed(2)),
    our_rules_detections: inHeap[1].detections,
    sigmahq_detections: inHeap[2].detections,
    sigmahq_regression_cases: regressionCases,
    sigmahq_regression_cases_exact: regressionExact,
    sigmahq_regression_rule_matches: regressionMatches,
    eps_30_rules_100k_iocs_sigmahq_corpus_redis_state: redis30.cpu,
    eps_our_rules_100k_iocs_sigmahq_corpus_redis_state: redisOurs.cpu,
    eps_sigmahq_rules_100k_iocs_redis_state: redisSigma.cpu,
    slowdown_30_to_sigmahq_rules_redis_state: Number((redis30.cpu / redisSigma.cpu).toFixed(2)),
    slowdown_ours_to_sigmahq_rules_redis_state: Number((redisOurs.cpu / redisSigma.cpu).toFixed(2)),
    redis_cpu_share_30_rules: redis30.storeShare,
    redis_cpu_share_our_rules: redisOurs.storeShare,
    redis_cpu_share_sigmahq_rules: redisSigma.storeShare,
  };
}

/** All the CPU our product spends on a run's lines: the collector's parse, the correlator's decoding and its engine. */
function ourCpuSeconds(run: Run): number {
  return run.parse.cpuSeconds + run.decode.cpuSeconds + run.engine.cpuSeconds;
}

/** A configuration's throughput from its process's measured pass (its Redis's CPU counted with the engine's). */
function throughputOf(run: ProcessRun): Throughput {
  if (run.failures > 0) throw new Error(`${run.failures} SigmaHQ corpus lines did not parse`);
  const cpuSeconds = run.engineCpuSeconds + run.storeCpuSeconds;
  return {
    cpu: Math.round(run.events / cpuSeconds),
    storeShare: Number((run.storeCpuSeconds / cpuSeconds).toFixed(2)),
    wall: Math.round(run.events / run.engineWallSeconds),
    parse: Math.round(run.events / run.parseCpuSeconds),
    decode: Math.round(run.events / run.decodeCpuSeconds),
    withDecode: Math.round(run.events / (run.decodeCpuSeconds + cpuSeconds)),
  };
}

async function main(): Promise<void> {
  const began = Date.now();
  // `main.js sigmahq`: only the SigmaHQ configuration beside the 30-rule set (what it prints is a subset).
  const onlySigmahq = process.argv[2] === 'sigmahq';
  if (!onlySigmahq) ensureInstalled();
  const corpus = corpusBuilder(seed).build();
  const raw = corpus.raw;
  const warm = corpusBuilder(warmSeed).build().raw;
  log(`corpus: ${raw.length} lines, ${corpus.attacks.length} labelled attacks`);
  const members = MemberDirectory.withDefaults({ members: [...corpus.ranges].map(([id, range]) => ({ id, network_ranges: [range] })) } as never);

  const real = realRuleDocuments(rulesDir);
  const ruleSets = {
    3: compileRuleFiles(ruleFiles(real, 3, seed)),
    30: compileRuleFiles(ruleFiles(real, 30, seed)),
    300: compileRuleFiles(ruleFiles(real, 300, seed)),
  };
  const realRules = compileRuleFiles(ruleFiles(real, real.length, seed));

  const figures: Record<string, number | string | object> = {};
  if (onlySigmahq) {
    Object.assign(figures, await sigmahqFigures(members, realRules));
    process.stdout.write(`${JSON.stringify({ ...figures, node: process.version, seconds: Math.round((Date.now() - began) / 1000) })}\n`);
    return;
  }
  const heapMb = indexHeapMb(1_000_000);
  for (const size of [10_000, 100_000, 1_000_000]) {
    const index = buildIndex(generateIndicators(size, seed));
    const label = size === 1_000_000 ? '1m' : `${size / 1000}k`;
    const sizes = [3, 30, 300] as const;
    const configs: Configuration[] = sizes.map((rules, i) => ({
      ruleSet: ruleSets[rules],
      index: i === 0 ? index : buildIndex(generateIndicators(size, seed)),
    }));
    // At 100k, the 3- and 30-rule engines once more with a store that keeps nothing: what window
    // state costs, and the slowdown that would be left if it cost nothing.
    const forgetful = size === 100_000 ? ([3, 30] as const) : [];
    for (const rules of forgetful) {
      configs.push({ ruleSet: ruleSets[rules], index: buildIndex(generateIndicators(size, seed)), stores: () => ({ windows: new ForgetfulWindowStore() }) });
    }
    const rates = await throughputs(configs, members, raw, warm);
    sizes.forEach((rules, i) => {
      const eps = rates[i];
      figures[`eps_${rules}_rules_${label}_iocs`] = eps.cpu;
      figures[`eps_wall_${rules}_rules_${label}_iocs`] = eps.wall;
      if (rules === 30 && size === 100_000) {
        figures.parse_eps = eps.parse;
        figures.decode_eps = eps.decode;
      }
      log(`${rules} rules × ${label} indicators: ${eps.cpu} events/CPU-s, ${eps.wall} events/s wall`);
    });
    forgetful.forEach((rules, i) => {
      figures[`eps_${rules}_rules_${label}_iocs_no_window_state`] = rates[sizes.length + i].cpu;
      log(`${rules} rules × ${label} indicators, no window state: ${rates[sizes.length + i].cpu} events/CPU-s`);
    });
    if (size === 100_000) {
      const run = await streamAll(new CorrelationEngine(realRules, index, members), index, raw);
      if (run.failures > 0) throw new Error(`${run.failures} corpus lines did not parse`);
      const quality = score(run.detections, corpus.attacks);
      Object.assign(figures, {
        precision: quality.precision,
        recall: quality.recall,
        alerts: quality.detections,
        labelled_attacks: corpus.attacks.length,
        [`eps_${real.length}_real_rules_100k_iocs`]: Math.round(run.events / run.engine.cpuSeconds),
      });
      if (quality.unexpected.length > 0) figures.unexpected = quality.unexpected;
      if (quality.missed.length > 0) figures.missed = quality.missed;
      log(`precision ${quality.precision}, recall ${quality.recall} over ${quality.detections} alerts`);
      gc(); // the runs above leave their stores' garbage: collect it here, not inside the timed parse
      Object.assign(
        figures,
        await sameLines(
          raw.filter((l) => l.kind === 'sshd'),
          ruleSets[3],
          index,
          members,
        ),
      );
    }
  }

  gc();
  Object.assign(figures, await sigmahqFigures(members, realRules));

  const eps = (rules: number) => figures[`eps_${rules}_rules_100k_iocs`] as number;
  const output = {
    events: raw.length,
    batch_size: batchSize,
    ...figures,
    slowdown_3_to_300_rules: Number((eps(3) / eps(300)).toFixed(2)),
    slowdown_3_to_30_rules_no_window_state: Number(
      ((figures.eps_3_rules_100k_iocs_no_window_state as number) / (figures.eps_30_rules_100k_iocs_no_window_state as number)).toFixed(2),
    ),
    window_state_share_30_rules: Number((1 - eps(30) / (figures.eps_30_rules_100k_iocs_no_window_state as number)).toFixed(2)),
    heap_mb_1m_iocs: Math.round(heapMb),
    node: process.version,
    seconds: Math.round((Date.now() - began) / 1000),
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

/**
 * Heap taken by an index of `size` indicators, measured first, while no other index exists: an
 * index of an earlier size still referenced by the caller's suspended frame would be collected
 * during the measurement and taken off the figure.
 */
function indexHeapMb(size: number): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const index = buildIndex(generateIndicators(size, seed));
  gc();
  const mb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  if (index.size === 0) throw new Error('empty index'); // keeps the index alive until measured
  return mb;
}

/** Rounds of the same-lines comparison. */
const sameLinesRounds = 3;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The sshd lines alone through SEC, fail2ban-regex and us, parse included (the tools parse too), with
 * the equivalent rule set: the SSH brute force and its base rule (plus the sudo rule: the 3-rule set).
 * Ours streams the lines in batches of 500 (parse → evaluate → drop) as the service does; our JIT
 * warm-up (20k lines) is excluded, and so is each tool's start-up (interpreter, rule/regex
 * compilation: the same tool on a one-line file), which makes the tools' figures a little higher.
 * The three take turns for `sameLinesRounds` rounds; rates and ratios are the medians of the rounds.
 */
async function sameLines(raw: RawLine[], ruleSet: RuleSet, index: IndicatorIndex, members: MemberDirectory) {
  const lines = raw.map((l) => l.line!);
  const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
  try {
    const file = join(dir, 'auth.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const one = join(dir, 'one.log');
    writeFileSync(one, `${lines[0]}\n`);
    const secStart = runSec(one, dir);
    const fail2banStart = runFail2banRegex(one);
    const engine = new CorrelationEngine(ruleSet, index, members);
    await streamAll(engine, index, raw, 20_000); // JIT warm-up
    // SEC, fail2ban and ours take turns, three rounds: each ratio pairs runs a few seconds apart,
    // and the median of the rounds is reported (the machine's speed drifts within a minute).
    const rounds: { sec: ReturnType<typeof runSec>; fail2ban: ReturnType<typeof runFail2banRegex>; run: Run }[] = [];
    for (let round = 0; round < sameLinesRounds; round++) {
      const sec = runSec(file, dir);
      const fail2ban = runFail2banRegex(file);
      const run = await streamAll(engine, index, raw);
      if (run.failures > 0) throw new Error(`${run.failures} sshd lines did not parse`);
      rounds.push({ sec, fail2ban, run });
      const ourCpu = ourCpuSeconds(run);
      log(
        `round ${round + 1}: sec ${sec.cpuSeconds.toFixed(2)} CPU-s (start-up ${secStart.cpuSeconds.toFixed(2)}, ${sec.alerts} alerts), ` +
          `fail2ban-regex ${fail2ban.cpuSeconds.toFixed(2)} CPU-s (start-up ${fail2banStart.cpuSeconds.toFixed(2)}, ${fail2ban.alerts} matched), ` +
          `ours ${ourCpu.toFixed(2)} CPU-s (parsing ${run.parse.cpuSeconds.toFixed(2)}, decoding ${run.decode.cpuSeconds.toFixed(2)}, engine ${run.engine.cpuSeconds.toFixed(2)}) for ${lines.length} lines`,
      );
    }
    const lps = (cpuSeconds: number) => lines.length / cpuSeconds;
    const secLps = median(rounds.map((r) => lps(r.sec.cpuSeconds - secStart.cpuSeconds)));
    const fail2banLps = median(rounds.map((r) => lps(r.fail2ban.cpuSeconds - fail2banStart.cpuSeconds)));
    const ours = median(rounds.map((r) => lps(ourCpuSeconds(r.run))));
    const ratioVsSec = median(rounds.map((r) => lps(ourCpuSeconds(r.run)) / lps(r.sec.cpuSeconds - secStart.cpuSeconds)));
    const ratioVsFail2ban = median(rounds.map((r) => lps(ourCpuSeconds(r.run)) / lps(r.fail2ban.cpuSeconds - fail2banStart.cpuSeconds)));
    const { sec, fail2ban, run } = rounds[rounds.length - 1];
    const wallSeconds = run.parse.wallSeconds + run.decode.wallSeconds + run.engine.wallSeconds;
    const bruteForce = new Set(run.detections.filter((d) => d.rule.title === 'SSH Brute Force From One Address').map((d) => d.fingerprint)).size;
    return {
      sshd_lines: lines.length,
      same_lines_rounds: sameLinesRounds,
      sec_lps: Math.round(secLps),
      sec_lps_incl_startup: Math.round(lines.length / sec.cpuSeconds),
      sec_lps_wall: Math.round(lines.length / sec.seconds),
      sec_startup_cpu_s: Number(secStart.cpuSeconds.toFixed(3)),
      sec_alerts: sec.alerts,
      fail2ban_lps: Math.round(fail2banLps),
      fail2ban_lps_incl_startup: Math.round(lines.length / fail2ban.cpuSeconds),
      fail2ban_startup_cpu_s: Number(fail2banStart.cpuSeconds.toFixed(3)),
      ours_lps_same_lines: Math.round(ours),
      ours_lps_same_lines_wall: Math.round(lines.length / wallSeconds),
      ours_parse_lps_same_lines: Math.round(median(rounds.map((r) => lps(r.run.parse.cpuSeconds)))),
      ours_decode_lps_same_lines: Math.round(median(rounds.map((r) => lps(r.run.decode.cpuSeconds)))),
      ours_engine_lps_same_lines: Math.round(median(rounds.map((r) => lps(r.run.engine.cpuSeconds)))),
      ours_ssh_bruteforce_alerts: bruteForce,
      ratio_vs_sec: Number(ratioVsSec.toFixed(2)),
      ratio_vs_fail2ban: Number(ratioVsFail2ban.toFixed(2)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
