import { type Detection, eventTimeMs, type RuleLevel, type SocEvent } from '@soc/contracts';
import { BatchGroups } from './batch-groups';
import type { CompiledCorrelation, CompiledDetectionRule } from './compiled-rule';
import { CorrelationFamily, FamilyTap, formFamilies } from './correlation-family';
import { findFiringWindow } from './correlation-window';
import {
  buildDetection,
  DetectionIdentity,
  detectionIdentity,
  groupValue,
  MatchAggregate,
  maxEventIds,
  maxObservables,
  observableValue,
} from './detection-builder';
import { jsonStringArray } from './json-string-array';
import { FieldReader, MatchContext } from './match-context';
import type { NeedleRegistry, NeedleScanner } from './needle-scanner';
import { acceptsDataset } from './logsource-filter';
import { RuleIndex, RulePlan } from './rule-index';
import { eventIdOfEntry, repeatCountOf, repeatedEntryId } from './repeated-events';
import { FiredWindow, sortEntries, WindowEntry, WindowState, WindowStore, WindowUpdate } from './window-store';

/** Tuning that belongs to the deployment, not to a rule. */
export interface EngineOptions {
  /**
   * How far behind its group's newest event an event may arrive and still count. Default 15 minutes:
   * a web server logs a request when it completes, stamped with when it began, so its lines run out
   * of order by up to its request timeout (Apache 2.2's `Timeout` 300 s, twice over for a slow read and write).
   */
  allowedLatenessMs: number;
  /**
   * Per source, overriding the default: the member that sent it (its forwarding path, e.g. files
   * shipped hourly), then the event's `event.dataset`. The most specific one set wins.
   */
  latenessByMember?: ReadonlyMap<string, number>;
  latenessByDataset?: ReadonlyMap<string, number>;
  /** Single-event rules: one detection per rule, member and event-time bucket of this size. Default 1 hour. */
  singleRuleWindowMs: number;
  /** Cap on a correlation group's stored entries; evictions are reported. Default 1000. */
  maxEntriesPerGroup: number;
}

export const defaultEngineOptions: EngineOptions = {
  allowedLatenessMs: 15 * 60_000,
  singleRuleWindowMs: 60 * 60_000,
  maxEntriesPerGroup: 1_000,
};

/** Detections of cross-member correlations belong to the shared SOC, not to one member. */
export const crossMemberOrganizationId = 'shared-soc';

export interface RuleSummary {
  id: string;
  title: string;
  kind: 'detection' | 'correlation';
  level?: RuleLevel;
  /** Whether the rule produces detections itself (base rules of a correlation usually do not). */
  generates: boolean;
}

export interface LateEvent {
  ruleId: string;
  eventId: string;
  timestamp: string;
}

export interface EvaluationResult {
  detections: Detection[];
  /** Events that matched at least one rule. */
  matchedEvents: number;
  /** Correlation matches older than their group's watermark minus the allowed lateness: not counted. */
  late: number;
  /** The first 1000 of those, so they can be logged or replayed. */
  lateEvents: LateEvent[];
  /** Every event (by id) with at least one late correlation match: what ingestion health counts per member. */
  lateEventIds: ReadonlySet<string>;
  /** Correlation matches added to a window that had already fired (a window update detection carries them). */
  windowAdditions: number;
  /**
   * Correlation matches inside a window that had already fired, which could not be added to it: the
   * window was stored by an older version that did not record its start. (Otherwise they are window additions.)
   */
  suppressed: number;
  /** Oldest entries dropped from groups that exceeded `maxEntriesPerGroup`. */
  evicted: number;
  /** Matching events whose `@timestamp` could not be read: not counted anywhere else. */
  invalidTimestamps: number;
  /**
   * The windows that fired, to mark spent with `store.markFired(fired)` once the detections are
   * safely handed on: marked earlier, a crash in between would find them spent on redelivery and
   * lose the detections; unmarked, the redelivered batch fires them again with the same fingerprints.
   */
  fired: FiredWindow[];
}

export interface EvaluateOptions {
  /** The detection time to stamp; injected for deterministic tests. */
  now?: Date;
  /**
   * `eventTimeMs(event['@timestamp'])` (= `Date.parse`) of each event, aligned with the batch (NaN where unreadable),
   * when the caller has already parsed them: the timestamp is then parsed once per event.
   */
  times?: ArrayLike<number>;
}

const maxLateEventsListed = 1_000;
/** Cached single-event detection identities (see `RuleSet.singleIdentities`): a few hundred bytes each. */
const maxSingleIdentities = 20_000;

type WindowStats = Pick<EvaluationResult, 'late' | 'lateEvents' | 'suppressed' | 'evicted' | 'windowAdditions'> & { lateEventIds: Set<string> };

/** The windows one correlation fired on in one batch: the first one's detection, and where the last one lies. */
interface Firings {
  first: Detection;
  lastStart: number;
  lastEnd: number;
}

/** The late entries of a group as a detection names them (each repetition of a `message repeated` line counts). */
function lateEventsOf(late: readonly WindowEntry[]): Pick<Detection, 'late_event_count' | 'late_event_ids'> {
  return { late_event_count: late.length, late_event_ids: [...new Set(late.map((e) => eventIdOfEntry(e.eventId)))].slice(0, maxEventIds) };
}

/**
 * Gathers one batch's entries for one correlation (family) group, so the store sees the key once. It is the
 * store's update itself: one object per group and batch.
 */
interface PendingGroup extends WindowUpdate {
  family: CorrelationFamily;
  memberId: string;
  /** The group-by values when there are several; one value is the group part itself. (The JSON group key of detections is built when the group fires.) */
  groupValues: (string | null)[] | undefined;
  entries: WindowEntry[];
}

/**
 * The compiled rules, ready to evaluate batches. Matching is synchronous and allocation-light;
 * the only I/O is the window store's `applyBatch`, once per batch. The windows that fired come back
 * as data (`EvaluationResult.fired`): the caller marks them spent when the detections are safe.
 */
export class RuleSet {
  private readonly index: RuleIndex;
  private readonly context: MatchContext;
  /** Per rule slot: the epoch of the event that last visited it, so a rule is tested once per event. */
  private readonly visited: Int32Array;
  /** The rules the current event matched: `matched[0..count)`, count returned by `match` (never truncated). */
  private readonly matched: CompiledDetectionRule[] = [];
  private readonly observableReaders: readonly FieldReader[];
  /** Every rule's gates, flattened for `MatchContext.gatesOpen`: rule slot s owns `gateList[gateStart[s]..gateStart[s + 1])`. */
  private readonly gateList: Int32Array;
  private readonly gateStart: Int32Array;

  constructor(
    private readonly detectionRules: readonly CompiledDetectionRule[],
    private readonly correlations: readonly CompiledCorrelation[],
    readonly options: EngineOptions,
    /** Fields every detection shows when present (source.ip, user.name, ...). */
    observableReaders: readonly FieldReader[],
    private readonly needles?: NeedleRegistry,
  ) {
    detectionRules.forEach((rule, slot) => {
      rule.slot = slot;
    });
    this.index = new RuleIndex(detectionRules, needles);
    this.observableReaders = observableReaders;
    this.context = new MatchContext(needles);
    this.visited = new Int32Array(detectionRules.length);
    this.familyTaps = formFamilies(detectionRules, correlations);
    ({ list: this.gateList, start: this.gateStart } = gateList(detectionRules));
  }

  /** Per rule slot: the correlation families its matches feed. */
  private readonly familyTaps: readonly (readonly FamilyTap[])[];
  /** The current batch's pending groups, by window scope and group. */
  private readonly batch = new BatchGroups();
  /** The current batch's (event, rule) matches that feed correlations, gathered for their own pass. */
  private readonly tapped = new TappedMatches();

  get rules(): RuleSummary[] {
    return [
      ...this.detectionRules.map((r) => ({
        id: r.handle,
        title: r.rule.title,
        kind: 'detection' as const,
        level: r.rule.level,
        generates: r.ref !== undefined,
      })),
      ...this.correlations.map((c) => ({ id: c.ref.id, title: c.ref.title, kind: 'correlation' as const, level: c.ref.level, generates: true })),
    ];
  }

  /** The detection rules (id, or name for base rules) whose detection matches this one event. */
  matchingRules(event: SocEvent): string[] {
    const count = this.match(event);
    const handles: string[] = [];
    for (let i = 0; i < count; i++) handles.push(this.matched[i].handle);
    return handles;
  }

  private allScanners: (NeedleScanner | undefined)[] | undefined;

  /**
   * The same answer as `matchingRules`, found without the rule index: every rule of the event's log
   * source is tested, with scanners of every rule's needles. The reference the index is checked
   * against (rule-index-exactness.spec.ts); far slower, not for the hot path.
   */
  matchingRulesExhaustive(event: SocEvent): string[] {
    const dataset = event.event?.dataset;
    if (typeof dataset !== 'string') return [];
    if (this.allScanners === undefined) {
      // Per field, the registry's scanner of every test on it: independent of how plans pick theirs.
      const scanners: (NeedleScanner | undefined)[] = [];
      for (const rule of this.detectionRules) for (const atom of rule.detection.atoms) scanners[atom.reader.id] ??= this.needles?.scanner(atom.reader);
      this.allScanners = scanners;
    }
    const ctx = this.context;
    const epoch = ctx.reset(event, this.allScanners);
    if (epoch === 1) this.visited.fill(0);
    const handles: string[] = [];
    for (const rule of this.detectionRules) if (acceptsDataset(rule.target, dataset) && rule.detection.test(ctx)) handles.push(rule.handle);
    return handles;
  }

  /**
   * Writes the rules matching an event to `this.matched[0..count)`, in the order they were found, and
   * returns the count. The array is overwritten, never truncated: `length = 0` makes V8 drop its
   * backing store, so every matching event would allocate a new one.
   */
  private match(event: SocEvent): number {
    const plan: RulePlan = this.index.plan(event.event?.dataset, event.event?.code);
    if (plan.always.length === 0 && plan.gated.size === 0) return 0;
    const matched = this.matched;
    let count = 0;
    const ctx = this.context;
    const epoch = ctx.reset(event, plan.scanners ?? this.index.scanners(plan));
    if (epoch === 1) this.visited.fill(0); // the context's stamps started over
    for (let i = 0; i < plan.always.length; i++) {
      const rule = plan.always[i];
      if (rule.detection.test(ctx)) matched[count++] = rule;
    }
    if (plan.gated.size === 0) return count;
    for (let i = 0; i < plan.gateFields.length; i++) ctx.scan(plan.gateFields[i]);
    const visited = this.visited;
    const { gateList, gateStart } = this;
    for (let f = 0; f < ctx.foundCount; f++) {
      const rules = plan.gated.get(ctx.found[f]);
      if (rules === undefined) continue;
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i];
        const slot = rule.slot;
        if (visited[slot] === epoch) continue;
        visited[slot] = epoch;
        // One gate of the rule hit (the one the index chose); its other gates are necessary too, and
        // those on fields already scanned are decided by a few array reads instead of the rule's test.
        if (!ctx.gatesOpen(gateList, gateStart[slot], gateStart[slot + 1])) continue;
        if (rule.detection.test(ctx)) matched[count++] = rule;
      }
    }
    return count;
  }

  async evaluate(events: readonly SocEvent[], store: WindowStore, options: EvaluateOptions = {}): Promise<EvaluationResult> {
    const detectedAt = (options.now ?? new Date()).toISOString();
    const singles = new Map<string, MatchAggregate>();
    const groups: PendingGroup[] = [];
    this.batch.start();
    // Forgotten at the start, not after the pass: a batch that threw half-way leaves its matches behind.
    this.tapped.count = 0;
    let matchedEvents = 0;
    let invalidTimestamps = 0;
    const times = options.times;
    if (times !== undefined && times.length !== events.length) throw new Error('times must be aligned with events');

    for (let e = 0; e < events.length; e++) {
      const event = events[e];
      const count = this.match(event);
      if (count === 0) continue;
      const time = times !== undefined ? times[e] : eventTimeMs(event['@timestamp']);
      if (Number.isNaN(time)) {
        invalidTimestamps++;
        continue;
      }
      matchedEvents++;
      const memberId = event.organization?.id ?? '';
      for (let m = 0; m < count; m++) {
        const rule = this.matched[m];
        if (rule.ref) this.addSingleMatch(singles, rule, memberId, time, event);
        if (this.familyTaps[rule.slot].length > 0) this.tapped.push(e, rule.slot, time);
      }
    }
    // The correlation matches in a pass of their own, after matching the whole batch, instead of
    // between one event's matching and the next's (which, with thousands of rules, walks megabytes of
    // scanner tables and rule data): measured faster, see docs/PERFORMANCE.md (SigmaHQ, 4 Dec 2026).
    const tapped = this.tapped;
    for (let i = 0; i < tapped.count; i++) {
      const event = events[tapped.event[i]];
      const memberId = event.organization?.id ?? '';
      const taps = this.familyTaps[tapped.slot[i]];
      for (let t = 0; t < taps.length; t++) this.addCorrelationMatch(groups, taps[t], memberId, tapped.time[i], event);
    }

    const detections: Detection[] = [];
    const identities = this.singleIdentities;
    if (identities.size > maxSingleIdentities) identities.clear();
    for (const [key, aggregate] of singles) {
      let identity = identities.get(key);
      if (identity === undefined) {
        identity = detectionIdentity(aggregate.ref.id, aggregate.memberId, aggregate.groupKey, aggregate.windowStart);
        identities.set(key, identity);
      }
      detections.push(aggregate.toDetection('rule', detectedAt, identity));
    }
    const correlated = await this.evaluateWindows(groups, store, detectedAt);
    detections.push(...correlated.detections);
    return { detections, matchedEvents, invalidTimestamps, ...correlated.stats, fired: correlated.fired };
  }

  private addSingleMatch(singles: Map<string, MatchAggregate>, rule: CompiledDetectionRule, memberId: string, time: number, event: SocEvent): void {
    // One detection per rule, member and event-time bucket: a flood of matches is one alert, counted.
    const size = this.options.singleRuleWindowMs;
    const windowStart = Math.floor(time / size) * size;
    const key = `${rule.handle}\u0000${memberId}\u0000${windowStart}`;
    let aggregate = singles.get(key);
    if (!aggregate) {
      aggregate = new MatchAggregate(rule.ref!, memberId, '', windowStart);
      singles.set(key, aggregate);
    }
    // The context is still on this event (matching it was the last thing it did).
    aggregate.add(time, event.event?.id, this.context, this.observedFields(rule));
  }

  /**
   * The fingerprint and ISO window start of single-event detections by aggregate key (rule, member,
   * bucket): a rule that fires in many batches of one bucket ('Failed Logon From Public IP' on the
   * internet's 4625 noise) has the same identity in each, so its SHA-1 and date are computed once.
   * Cleared when it grows past `maxSingleIdentities` (buckets move on with event time).
   */
  private readonly singleIdentities = new Map<string, DetectionIdentity>();

  /** Per rule slot: the fields its detections show. */
  private readonly fieldsBySlot: (readonly FieldReader[] | undefined)[] = [];

  private observedFields(rule: CompiledDetectionRule): readonly FieldReader[] {
    let fields = this.fieldsBySlot[rule.slot];
    if (!fields) {
      fields = [...new Set([...this.observableReaders, ...rule.detection.fields])];
      this.fieldsBySlot[rule.slot] = fields;
    }
    return fields;
  }

  private addCorrelationMatch(groups: PendingGroup[], tap: FamilyTap, memberId: string, time: number, event: SocEvent): void {
    const { family } = tap;
    const eventId = event.event?.id ?? '';
    let value = '';
    if (family.type === 'value_count') {
      const valueReaders = tap.valueReaders;
      if (valueReaders.length === 1) {
        const single = groupValue(valueReaders[0].read(event));
        if (single === null) return; // distinct values of an absent field: nothing to count
        value = single;
      } else {
        const values: string[] = new Array(valueReaders.length);
        for (let i = 0; i < valueReaders.length; i++) {
          const v = groupValue(valueReaders[i].read(event));
          if (v === null) return;
          values[i] = v;
        }
        value = JSON.stringify(values);
      }
    } else if (family.type === 'temporal' || family.type === 'temporal_ordered') {
      value = tap.step;
    }
    const owner = family.crossMember ? crossMemberOrganizationId : memberId;
    const scope = this.batch.scopeOf(family.id, owner);
    // (eventId, value) is the entry's identity: a redelivered event is stored once, and in temporal
    // correlations each rule an event matches is a step of its own (the value is the step).
    const entry: WindowEntry = { time, value, eventId };
    // The group part is the raw value of a single group-by field, or the JSON array of several (built
    // by concatenation; hashing it reads every character, which flattens it, so a store keeping it
    // does not keep the pieces or the log lines they were sliced from). The JSON group key of
    // detections is only built when the group fires.
    const readers = tap.groupReaders;
    let groupValues: (string | null)[] | undefined;
    let groupPart: string | null;
    if (readers.length === 1) groupPart = groupValue(readers[0].read(event));
    else {
      groupValues = new Array(readers.length);
      for (let i = 0; i < readers.length; i++) groupValues[i] = groupValue(readers[i].read(event));
      groupPart = jsonStringArray(groupValues);
    }
    let row = this.batch.find(scope, groupPart);
    if (row !== -1) groups[row].entries.push(entry);
    else {
      groups.push(this.pendingGroup(family, owner, scope.scope, groupValues, groupPart, entry, this.latenessOf(memberId, event.event?.dataset)));
      row = groups.length - 1;
      this.batch.add(row, scope, groupPart);
    }
    // `message repeated N times` is N events to a count (value and temporal correlations count
    // distinct values, which a repetition does not add to).
    if (family.type === 'event_count') {
      const repeats = repeatCountOf(event, this.options.maxEntriesPerGroup);
      for (let i = 2; i <= repeats; i++) groups[row].entries.push({ time, value, eventId: repeatedEntryId(eventId, i) });
    }
  }

  private pendingGroup(
    family: CorrelationFamily,
    owner: string,
    scope: string,
    groupValues: (string | null)[] | undefined,
    groupPart: string | null,
    first: WindowEntry,
    allowedLatenessMs: number,
  ): PendingGroup {
    const { maxEntriesPerGroup } = this.options;
    return {
      scope,
      group: groupPart,
      // Most groups get one entry per batch: an array of one, not the 17 slots a first push reserves.
      entries: [first],
      latenessMs: allowedLatenessMs,
      horizonMs: family.timespanMs + allowedLatenessMs,
      maxEntries: maxEntriesPerGroup,
      ttlMs: 2 * (family.timespanMs + allowedLatenessMs),
      family,
      memberId: owner,
      groupValues,
    };
  }

  /**
   * The allowed lateness of a group, from the source of its batch's first event (a group's events come
   * from one member, and almost always one dataset, as its rule reads one log source).
   */
  private latenessOf(memberId: string, dataset: string | undefined): number {
    const { latenessByMember, latenessByDataset, allowedLatenessMs } = this.options;
    return latenessByMember?.get(memberId) ?? (dataset === undefined ? undefined : latenessByDataset?.get(dataset)) ?? allowedLatenessMs;
  }

  /** Quoted group-by names per correlation, or null where plain concatenation would differ from JSON.stringify. */
  private readonly groupKeyNames = new Map<CompiledCorrelation, string[] | null>();

  /**
   * `JSON.stringify` of the object {groupBy name: value}, built by concatenation: this runs for every
   * correlation match and the object form was a large share of the time with many correlations.
   */
  private groupKeyOf(correlation: CompiledCorrelation, values: readonly (string | null)[]): string {
    let names = this.groupKeyNames.get(correlation);
    if (names === undefined) {
      const { groupBy } = correlation;
      // Integer-like keys are reordered and duplicate keys collapse in an object: keep the object form there.
      const plain = new Set(groupBy).size === groupBy.length && !groupBy.some((name) => /^(0|[1-9][0-9]*)$/.test(name));
      names = plain ? groupBy.map((name) => JSON.stringify(name)) : null;
      this.groupKeyNames.set(correlation, names);
    }
    if (names === null) return JSON.stringify(Object.fromEntries(correlation.groupBy.map((name, i) => [name, values[i]])));
    let key = '{';
    for (let i = 0; i < names.length; i++) key += `${i === 0 ? '' : ','}${names[i]}:${JSON.stringify(values[i])}`;
    return `${key}}`;
  }

  private async evaluateWindows(
    groups: readonly PendingGroup[],
    store: WindowStore,
    detectedAt: string,
  ): Promise<{ detections: Detection[]; stats: WindowStats; fired: FiredWindow[] }> {
    const stats: WindowStats = { late: 0, lateEvents: [], lateEventIds: new Set(), windowAdditions: 0, suppressed: 0, evicted: 0 };
    const detections: Detection[] = [];
    const fired: FiredWindow[] = [];
    if (groups.length === 0) return { detections, stats, fired };

    for (let i = 0; i < groups.length; i++) sortEntries(groups[i].entries);
    const states = await store.applyBatch(groups);
    if (states.length !== groups.length) throw new Error(`window store returned ${states.length} states for ${groups.length} updates`);

    for (let i = 0; i < states.length; i++) {
      const state = states[i];
      const group = groups[i];
      const { members } = group.family;
      // Late entries are late for every member (same entries, same watermark), as they would be alone.
      stats.late += state.late.length * members.length;
      stats.evicted += state.evicted;
      for (let l = 0; l < state.late.length; l++) stats.lateEventIds.add(eventIdOfEntry(state.late[l].eventId));
      for (const member of members) {
        for (let l = 0; l < state.late.length; l++) {
          const entry = state.late[l];
          if (stats.lateEvents.length >= maxLateEventsListed) break;
          stats.lateEvents.push({ ruleId: member.ref.id, eventId: eventIdOfEntry(entry.eventId), timestamp: new Date(entry.time).toISOString() });
        }
      }
      const mark =
        members.length === 1
          ? this.fireOne(members[0], group, state, detections, detectedAt, stats)
          : this.fireFamily(group, state, detections, detectedAt, stats);
      if (mark !== undefined) fired.push(mark);
    }
    return { detections, stats, fired };
  }

  /** A group of one correlation: the windows it fires on entries after its last fired window, and that window's update. */
  private fireOne(
    correlation: CompiledCorrelation,
    group: PendingGroup,
    state: WindowState,
    detections: Detection[],
    detectedAt: string,
    stats: WindowStats,
  ): FiredWindow | undefined {
    const id = correlation.ref.id;
    // Entries at or before the fired window's end are spent: kept only to recognise redeliveries.
    const { firedUntil } = state;
    const view = firedUntil === null ? state.entries : state.entries.filter((e) => e.time > firedUntil);
    const firing = this.fire(correlation, group, view, detections, detectedAt);
    this.updateFiredWindow(correlation, group, state, state.firedUntil, firing, detections, detectedAt, stats);
    if (firing === undefined) return undefined;
    return { scope: group.scope, group: group.group, until: firing.lastEnd, starts: { [id]: firing.lastStart } };
  }

  /**
   * Fires one correlation on a group's entries (sorted); returns the first and the last window it
   * fired on. A batch may hold several bursts more than a timespan apart: each is its own window.
   */
  private fire(
    correlation: CompiledCorrelation,
    group: PendingGroup,
    entries: readonly WindowEntry[],
    detections: Detection[],
    detectedAt: string,
  ): Firings | undefined {
    let remaining = entries;
    let firings: Firings | undefined;
    for (let firing = findFiringWindow(correlation, remaining); firing; firing = findFiringWindow(correlation, remaining)) {
      const detection = this.correlationDetection(correlation, group, firing.entries, firing.start, detectedAt);
      detections.push(detection);
      const end = firing.end;
      if (firings === undefined) firings = { first: detection, lastStart: firing.start, lastEnd: end };
      else {
        firings.lastStart = firing.start;
        firings.lastEnd = end;
      }
      remaining = remaining.filter((e) => e.time > end);
    }
    return firings;
  }

  /**
   * Events of this batch that belong to a window the correlation fired on in an earlier batch (at or
   * before its end, not late, not already held: a redelivered batch adds nothing) are added to it as a window update, and so are the batch's late
   * events when the group has fired: the alert's count is then the same however the events were
   * batched (the threshold may be crossed in the first batch or the last), and its late events are
   * on it. A group that fires for the first time in this batch carries its late events on that
   * first firing instead. Windows stored before their start was recorded take no updates: their
   * additions are counted as suppressed, as before.
   */
  private updateFiredWindow(
    correlation: CompiledCorrelation,
    group: PendingGroup,
    state: WindowState,
    firedUntil: number | null,
    firing: Firings | undefined,
    detections: Detection[],
    detectedAt: string,
    stats: WindowStats,
  ): void {
    const late = state.late;
    const firedStart = state.firedStarts?.[correlation.ref.id];
    const additions: WindowEntry[] = [];
    if (firedUntil !== null) for (const entry of state.added) if (entry.time <= firedUntil) additions.push(entry);
    if (firedStart === undefined) {
      stats.suppressed += additions.length;
      if (firing !== undefined && late.length > 0) Object.assign(firing.first, lateEventsOf(late));
      return;
    }
    stats.windowAdditions += additions.length;
    if (additions.length === 0 && late.length === 0) return;
    const update =
      additions.length > 0
        ? this.correlationDetection(correlation, group, additions, firedStart, detectedAt)
        : this.correlationDetection(correlation, group, [], firedStart, detectedAt);
    detections.push({ ...update, window_update: true, ...(late.length > 0 ? lateEventsOf(late) : {}) });
  }

  /**
   * Fires each member of a family on the entries after the last window it fired on. The family keeps
   * entries for its longest timespan, so a member also sees entries its own pruning would have
   * dropped; those are more than its timespan older than any entry this batch could accept, so they
   * share no window with one, and a window of them alone was decided when they arrived. Returns the
   * marks to store when some member fired.
   */
  private fireFamily(group: PendingGroup, state: WindowState, detections: Detection[], detectedAt: string, stats: WindowStats): FiredWindow | undefined {
    let marks: Record<string, number> | undefined;
    let starts: Record<string, number> | undefined;
    let floor = Infinity;
    for (const member of group.family.members) {
      const id = member.ref.id;
      const own = Math.max(state.fired?.[id] ?? -Infinity, state.firedUntil ?? -Infinity);
      const view = own === -Infinity ? state.entries : state.entries.filter((e) => e.time > own);
      const firing = this.fire(member, group, view, detections, detectedAt);
      this.updateFiredWindow(member, group, state, own === -Infinity ? null : own, firing, detections, detectedAt, stats);
      if (firing !== undefined) {
        (marks ??= {})[id] = firing.lastEnd;
        (starts ??= {})[id] = firing.lastStart;
      }
      floor = Math.min(floor, firing?.lastEnd ?? own);
    }
    if (marks === undefined) return undefined;
    return { scope: group.scope, group: group.group, until: floor, marks, starts };
  }

  private correlationDetection(
    correlation: CompiledCorrelation,
    group: PendingGroup,
    entries: readonly WindowEntry[],
    windowStart: number,
    detectedAt: string,
  ): Detection {
    const values = group.groupValues ?? [group.group];
    const observables: { field: string; value: string }[] = [];
    correlation.groupBy.forEach((name, i) => {
      const value = values[i];
      if (value !== null && value !== '') observables.push({ field: name, value });
    });
    if (correlation.type === 'value_count') {
      const label = correlation.valueFields.join(',');
      for (const value of new Set(entries.map((e) => e.value))) {
        if (observables.length >= maxObservables) break;
        const shown = observableValue(value);
        if (shown !== undefined) observables.push({ field: label, value: shown });
      }
    }
    const groupKey = this.groupKeyOf(correlation, values);
    return buildDetection({
      kind: 'correlation',
      ref: correlation.ref,
      memberId: group.memberId,
      groupKey,
      windowStart,
      // A late-only window update names no counted event: its seen-times stay at the window's start.
      first: entries.length > 0 ? entries[0].time : windowStart,
      last: entries.length > 0 ? entries[entries.length - 1].time : windowStart,
      count: entries.length,
      eventIds: [...new Set(entries.map((e) => eventIdOfEntry(e.eventId)))],
      observables,
      detectedAt,
    });
  }
}

/** Per rule slot, its gates as `MatchContext.gatesOpen` reads them: per gate the atom count, then (field reader id, test id) per atom. */
function gateList(rules: readonly CompiledDetectionRule[]): { list: Int32Array; start: Int32Array } {
  const start = new Int32Array(rules.length + 1);
  const list: number[] = [];
  rules.forEach((rule, slot) => {
    start[slot] = list.length;
    for (const gate of rule.detection.gates) {
      if (gate.length === 0) continue;
      list.push(gate.length);
      for (const atom of gate) list.push(atom.reader.id, atom.test);
    }
  });
  start[rules.length] = list.length;
  return { list: Int32Array.from(list), start };
}

/** (event index, rule slot, event time) triples, in columns reused batch after batch. */
class TappedMatches {
  event = new Int32Array(1024);
  slot = new Int32Array(1024);
  time = new Float64Array(1024);
  count = 0;

  push(event: number, slot: number, time: number): void {
    if (this.count === this.event.length) this.grow();
    this.event[this.count] = event;
    this.slot[this.count] = slot;
    this.time[this.count++] = time;
  }

  private grow(): void {
    const size = this.event.length * 2;
    const event = new Int32Array(size);
    event.set(this.event);
    this.event = event;
    const slot = new Int32Array(size);
    slot.set(this.slot);
    this.slot = slot;
    const time = new Float64Array(size);
    time.set(this.time);
    this.time = time;
  }
}
