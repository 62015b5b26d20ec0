import type { Detection, SocEvent } from '@soc/contracts';
import { commitCorrelation, CorrelationEngine } from '@soc/correlation';
import { IndicatorIndex } from '@soc/indicators';
import { MemberDirectory } from '@soc/members';
import { alertKey } from '@soc/alerts';
import { ReplayClock } from '../engine/replay-clock';
import { increment, sortedCounts, type Counts } from './corpus-tally';
import type { RuleCatalogue } from './rule-catalogue';

/** The events stream's batch size in the service. */
const batchSize = 500;
/** Detection time stamped on every detection: fixed, so runs compare. */
const detectedAt = new Date('2026-12-02T00:00:00Z');

export interface ReplayResult {
  detections: Detection[];
  /** Correlation matches too late for their window (the engine's allowed lateness). */
  late: number;
  /** Correlation matches inside a window that had already fired. */
  suppressed: number;
}

/**
 * One corpus through the correlation engine as the correlator runs it: the real rule set, the
 * in-memory window store (whose clock follows event time, as a live correlator's wall clock would),
 * no indicators, the built-in member directory. Events are replayed in event-time order (a stable
 * sort: equal times keep file order) in batches of the stream's size.
 */
export async function replay(catalogue: RuleCatalogue, events: readonly SocEvent[]): Promise<ReplayResult> {
  const ordered = events
    .map((event, index) => ({ event, index, time: Date.parse(event['@timestamp']) }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map(({ event }) => event);
  const engine = new CorrelationEngine(catalogue.ruleSet, new IndicatorIndex(), MemberDirectory.withDefaults());
  const clock = new ReplayClock();
  const stores = clock.stores();
  const result: ReplayResult = { detections: [], late: 0, suppressed: 0 };
  for (let first = 0; first < ordered.length; first += batchSize) {
    const batch = ordered.slice(first, first + batchSize);
    clock.advance(batch);
    const evaluated = await engine.evaluate(batch, stores, { now: detectedAt });
    await commitCorrelation(stores, evaluated.commit);
    result.detections.push(...evaluated.detections);
    result.late += evaluated.late;
    result.suppressed += evaluated.stats.suppressed;
  }
  return result;
}

/**
 * Detections and alerts per rule: alerting folds detections into one alert per rule, member and
 * group key (`alertKey`, libs/alerts), so alerts = distinct alert keys. (A closed alert's key can
 * open a new generation later; a replay closes nothing.)
 */
export function perRule(catalogue: RuleCatalogue, result: ReplayResult) {
  const detections = new Map<string, number>();
  const alerts = new Map<string, Set<string>>();
  for (const detection of result.detections) {
    const name = catalogue.nameOf(detection.rule.id, detection.rule.title);
    increment(detections, name);
    // A detection naming no counted event (only late ones) adds to an open alert but raises none.
    if (detection.event_count <= 0) continue;
    let keys = alerts.get(name);
    if (keys === undefined) alerts.set(name, (keys = new Set()));
    keys.add(alertKey(detection));
  }
  const alertCounts: Counts = sortedCounts(new Map([...alerts].map(([name, keys]) => [name, keys.size])));
  return {
    detections_per_rule: sortedCounts(detections),
    alerts_per_rule: alertCounts,
    late_correlation_matches: result.late,
    suppressed_correlation_matches: result.suppressed,
  };
}

/** The actor addresses of a rule's detections (`source.ip` or Windows `IpAddress` observables), sorted. */
export function alertedAddresses(catalogue: RuleCatalogue, result: ReplayResult, ruleNames: readonly string[]): string[] {
  const wanted = new Set(ruleNames);
  const addresses = new Set<string>();
  for (const detection of result.detections) {
    if (!wanted.has(catalogue.nameOf(detection.rule.id, detection.rule.title))) continue;
    for (const observable of detection.observables) if (observable.field === 'source.ip' || observable.field === 'IpAddress') addresses.add(observable.value);
  }
  return [...addresses].sort();
}
