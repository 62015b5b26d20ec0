import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Detection, SocEvent } from '@soc/contracts';
import { CorrelationEngine } from '@soc/correlation';
import type { Indicator, IndicatorIndex } from '@soc/indicators';
import { MemberDirectory } from '@soc/members';
import { parseSyslogLine } from '@soc/parsing';
import { compileRules, formatRuleError, loadRules, type RuleFile, type RuleSet } from '@soc/sigma';
import { CorpusBuilder, type RawLine, stamp, toEvents } from './corpus';
import { startTimer, type Timing } from './cpu-timer';
import { ensureInstalled, runFail2banRegex, runSec } from './external-tools';
import { buildIndex, generateIndicators } from './indicator-set';
import { score } from './labels';
import { ReplayClock } from './replay-clock';
import { realRuleDocuments, ruleFiles } from './rule-variants';

/**
 * `npm run bench:engine`: the correlation engine on one core over a seeded, labelled corpus; see
 * docs/PERFORMANCE.md "Correlation engine". Prints one JSON object on stdout, progress on stderr.
 */
const seed = 20260105;
const batchSize = 500;
const now = new Date('2026-01-06T00:00:00Z');
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

function compile(files: RuleFile[]): RuleSet {
  const loaded = loadRules(files);
  const compiled = compileRules(loaded.rules);
  const errors = [...loaded.errors, ...compiled.errors];
  if (errors.length > 0) throw new Error(errors.map(formatRuleError).join('\n'));
  return compiled.ruleSet;
}

interface Run extends Timing {
  detections: Detection[];
}

/** Evaluates the events in stream-sized batches, feeding promotions back as the service does. */
async function evaluateAll(engine: CorrelationEngine, index: IndicatorIndex, events: readonly SocEvent[]): Promise<Run> {
  const clock = new ReplayClock();
  const stores = clock.stores();
  const detections: Detection[] = [];
  const promoted: string[] = [];
  const stop = startTimer();
  for (let i = 0; i < events.length; i += batchSize) {
    const batch = events.slice(i, i + batchSize);
    clock.advance(batch);
    const result = await engine.evaluate(batch, stores, { now });
    for (const d of result.detections) detections.push(d);
    for (const p of result.promotions) {
      index.upsert(p.indicator);
      promoted.push(p.indicator.id);
    }
  }
  const timing = stop();
  for (const id of promoted) index.remove(id); // the next configuration starts from the feed alone
  return { ...timing, detections };
}

/** Events per CPU second (the per-core figure) and per wall-clock second. */
async function throughput(ruleSet: RuleSet, index: IndicatorIndex, members: MemberDirectory, events: readonly SocEvent[]): Promise<{ cpu: number; wall: number }> {
  const engine = new CorrelationEngine(ruleSet, index, members);
  await evaluateAll(engine, index, events.slice(0, 50_000)); // JIT warm-up
  const run = await evaluateAll(engine, index, events);
  return { cpu: Math.round(events.length / run.cpuSeconds), wall: Math.round(events.length / run.wallSeconds) };
}

async function main(): Promise<void> {
  const began = Date.now();
  ensureInstalled();
  const labelledFeed: Indicator[] = [...generateIndicators(10_000, seed)];
  const corpus = new CorpusBuilder(seed)
    .background(120_000, 80_000)
    .sshBruteForce(12)
    .windowsBruteForce(8)
    .passwordSpraying(6)
    .indicatorHits(labelledFeed, 10)
    .actorCampaign()
    .memberOrigin(3)
    .build();
  const { events, failures } = toEvents(corpus.raw);
  if (failures > 0) throw new Error(`${failures} corpus lines did not parse`);
  log(`corpus: ${events.length} events, ${corpus.attacks.length} labelled attacks`);
  const members = MemberDirectory.withDefaults({ members: [...corpus.ranges].map(([id, range]) => ({ id, network_ranges: [range] })) } as never);

  const real = realRuleDocuments(rulesDir);
  const ruleSets = {
    3: compile(ruleFiles(real, 3, seed)),
    30: compile(ruleFiles(real, 30, seed)),
    300: compile(ruleFiles(real, 300, seed)),
  };
  const realRules = compile(ruleFiles(real, real.length, seed));

  const figures: Record<string, number | string | object> = {};
  let heapMb = 0;
  for (const size of [10_000, 100_000, 1_000_000]) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const index = buildIndex(generateIndicators(size, seed));
    gc();
    if (size === 1_000_000) heapMb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    const label = size === 1_000_000 ? '1m' : `${size / 1000}k`;
    for (const rules of [3, 30, 300] as const) {
      const eps = await throughput(ruleSets[rules], index, members, events);
      figures[`eps_${rules}_rules_${label}_iocs`] = eps.cpu;
      figures[`eps_wall_${rules}_rules_${label}_iocs`] = eps.wall;
      log(`${rules} rules × ${label} indicators: ${eps.cpu} events/CPU-s, ${eps.wall} events/s wall`);
    }
    if (size === 100_000) {
      const run = await evaluateAll(new CorrelationEngine(realRules, index, members), index, events);
      const quality = score(run.detections, corpus.attacks);
      Object.assign(figures, {
        precision: quality.precision,
        recall: quality.recall,
        alerts: quality.detections,
        labelled_attacks: corpus.attacks.length,
        [`eps_${real.length}_real_rules_100k_iocs`]: Math.round(events.length / run.cpuSeconds),
      });
      if (quality.unexpected.length > 0) figures.unexpected = quality.unexpected;
      if (quality.missed.length > 0) figures.missed = quality.missed;
      log(`precision ${quality.precision}, recall ${quality.recall} over ${quality.detections} alerts`);
      Object.assign(figures, await sameLines(corpus.raw.filter((l) => l.kind === 'sshd'), ruleSets[3], index, members));
    }
  }

  const eps = (rules: number) => figures[`eps_${rules}_rules_100k_iocs`] as number;
  const output = {
    events: events.length,
    batch_size: batchSize,
    ...figures,
    slowdown_3_to_300_rules: Number((eps(3) / eps(300)).toFixed(2)),
    heap_mb_1m_iocs: Math.round(heapMb),
    node: process.version,
    seconds: Math.round((Date.now() - began) / 1000),
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

function parseLines(raw: readonly RawLine[], now: Date): SocEvent[] {
  const events: SocEvent[] = [];
  raw.forEach((line, i) => {
    const parsed = parseSyslogLine(line.line!, { now });
    if (parsed.ok) events.push(stamp(parsed.event as Record<string, unknown>, `l${i}`, line.member));
  });
  return events;
}

/**
 * The sshd lines alone through SEC, fail2ban-regex and us, parse included (the tools parse too), with
 * the equivalent rule set: the SSH brute force and its base rule (plus the sudo rule: the 3-rule set).
 */
async function sameLines(raw: RawLine[], ruleSet: RuleSet, index: IndicatorIndex, members: MemberDirectory) {
  const lines = raw.map((l) => l.line!);
  const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
  try {
    const file = join(dir, 'auth.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const sec = runSec(file, dir);
    log(`sec: ${lines.length} lines in ${sec.cpuSeconds.toFixed(2)} CPU-s, ${sec.seconds.toFixed(2)} s wall, ${sec.alerts} alerts`);
    const fail2ban = runFail2banRegex(file);
    log(`fail2ban-regex: ${lines.length} lines in ${fail2ban.cpuSeconds.toFixed(2)} CPU-s, ${fail2ban.seconds.toFixed(2)} s wall, ${fail2ban.alerts} matched`);

    const engine = new CorrelationEngine(ruleSet, index, members);
    const parseNow = new Date('2026-01-06T00:00:00Z');
    await evaluateAll(engine, index, parseLines(raw.slice(0, 20_000), parseNow)); // JIT warm-up
    const stopParse = startTimer();
    const events = parseLines(raw, parseNow);
    const parse = stopParse();
    const run = await evaluateAll(engine, index, events);
    const cpuSeconds = parse.cpuSeconds + run.cpuSeconds;
    const ours = lines.length / cpuSeconds;
    log(`ours: ${lines.length} lines in ${cpuSeconds.toFixed(2)} CPU-s (parsing ${parse.cpuSeconds.toFixed(2)}), ${(parse.wallSeconds + run.wallSeconds).toFixed(2)} s wall`);
    const bruteForce = new Set(run.detections.filter((d) => d.rule.title === 'SSH Brute Force From One Address').map((d) => d.fingerprint)).size;
    return {
      sshd_lines: lines.length,
      sec_lps: Math.round(lines.length / sec.cpuSeconds),
      sec_lps_wall: Math.round(lines.length / sec.seconds),
      sec_alerts: sec.alerts,
      fail2ban_lps: Math.round(lines.length / fail2ban.cpuSeconds),
      ours_lps_same_lines: Math.round(ours),
      ours_lps_same_lines_wall: Math.round(lines.length / (parse.wallSeconds + run.wallSeconds)),
      ours_parse_lps_same_lines: Math.round(lines.length / parse.cpuSeconds),
      ours_engine_lps_same_lines: Math.round(lines.length / run.cpuSeconds),
      ours_ssh_bruteforce_alerts: bruteForce,
      ratio_vs_sec: Number((ours / (lines.length / sec.cpuSeconds)).toFixed(2)),
      ratio_vs_fail2ban: Number((ours / (lines.length / fail2ban.cpuSeconds)).toFixed(2)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
