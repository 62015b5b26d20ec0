import { type Detection, eventTimeMs, type SocEvent } from '@soc/contracts';
import { type AddressScopePolicy, type IndicatorIndex, isGloballyRoutable, nonGlobalRangeOfIndicator, productionAddressScope } from '@soc/indicators';
import { crossMemberOrganizationId, type FiredWindow, type LateEvent, type RuleSet, type WindowStore } from '@soc/sigma';
import { earlyWarningRuleRef, indicatorRuleRef, levelFromConfidence } from './built-in-rules';
import { actorCampaignKey, CampaignDetector, campaignKeyOfIndicator, type IndicatorPromotion, promotedIndicatorSource } from './campaign-detector';
import type { CampaignSighting, CampaignStore } from './campaign-store';
import { aggregateFor, bucketStart, DetectionAggregate } from './detection-parts';
import { IndicatorHit, matchEventIndicators } from './indicator-matcher';
import { MemberOriginDetector, type MemberOwnership } from './member-origin-detector';
import { fastOwnership, type MemberRanges } from './member-networks';

export type { IndicatorPromotion } from './campaign-detector';
export type { MemberOwnership } from './member-origin-detector';

/** Where the engine's state lives between batches; the service passes Redis-backed ones. */
export interface CorrelationStores {
  windows: WindowStore;
  campaigns: CampaignStore;
}

/**
 * The state an evaluation leaves to write after its detections are safely handed on (enqueued):
 * written before, a crash in between would find windows and campaigns spent on redelivery and lose
 * their detections; not written, the redelivered batch fires them again with the same fingerprints.
 */
export interface CorrelationCommit {
  windows: FiredWindow[];
  campaigns: Array<{ key: string; until: number }>;
}

/** Marks what an evaluation fired as spent; call it after its detections are handed on. */
export async function commitCorrelation(stores: CorrelationStores, commit: CorrelationCommit): Promise<void> {
  await Promise.all([
    commit.windows.length > 0 ? stores.windows.markFired(commit.windows) : undefined,
    commit.campaigns.length > 0 ? stores.campaigns.markFired(commit.campaigns) : undefined,
  ]);
}

export interface CorrelationEngineOptions {
  /** K: distinct members that must see the same indicator or actor. Default 3. */
  campaignMinMembers: number;
  /** T: the window they must see it in. Default 24 hours. */
  campaignWindowMs: number;
  /** How long a promoted campaign indicator stays valid after the campaign's last sighting. Default 7 days. */
  promotionValidityMs: number;
  /** Confidence of promoted indicators (0–100). Default 80. */
  promotionConfidence: number;
  /** Indicator and member-origin detections: one per group and event-time bucket of this size. Default 1 hour. */
  bucketMs: number;
  /**
   * Which addresses can be cross-member actors: non-global ones (loopback, private, CGNAT,
   * link-local, multicast, documentation unless this policy makes it public...) never form a
   * campaign, are never promoted, and a promoted one already in the shared set warns nobody.
   * Default: production's (documentation ranges reserved).
   */
  addressScope: AddressScopePolicy;
}

export const defaultCorrelationEngineOptions: CorrelationEngineOptions = {
  campaignMinMembers: 3,
  campaignWindowMs: 24 * 3_600_000,
  promotionValidityMs: 7 * 24 * 3_600_000,
  promotionConfidence: 80,
  bucketMs: 3_600_000,
  addressScope: productionAddressScope,
};

/**
 * One member hitting one indicator in this batch, for the correlator to record (indicator
 * statistics; the repository adds it to the stored counts as a `NewIndicatorSighting`).
 */
export interface BatchIndicatorSighting {
  indicatorId: string;
  memberId: string;
  /** Event time of the member's first hit in the batch. */
  time: number;
  count: number;
}

export interface CorrelationResult {
  detections: Detection[];
  /** Correlation-rule matches too late for their window: counted, never silently lost. */
  late: number;
  lateEvents: LateEvent[];
  /** Every event with at least one late correlation match, by id (what ingestion health counts per member). */
  lateEventIds: ReadonlySet<string>;
  /** Live indicator hits that became detections. */
  indicatorHits: number;
  /** Indicator hits a warninglist held back: counted, not detected. */
  suppressedIndicatorHits: number;
  sightings: BatchIndicatorSighting[];
  /** Early warning: campaign observables to add to the shared indicator set (upsert by id). */
  promotions: IndicatorPromotion[];
  /** What to write once the detections are handed on (`commitCorrelation`): the windows and campaigns that fired. */
  commit: CorrelationCommit;
  stats: {
    events: number;
    /** Events that matched a rule or an indicator. */
    matchedEvents: number;
    invalidTimestamps: number;
    /** Correlation matches inside a window that had already fired. */
    suppressed: number;
    /** Correlation matches added to windows that had already fired (window update detections). */
    windowAdditions: number;
    evicted: number;
  };
}

/**
 * The whole correlation of one batch: Sigma rules and correlation windows (@soc/sigma), indicator
 * matching (@soc/indicators), and the shared unit's cross-member logic (member origin, campaigns,
 * early warning). Pure: the only I/O is through the stores, each called at most twice per batch.
 * Every id and window comes from event time, so evaluating a batch again gives the same detections.
 */
export class CorrelationEngine {
  readonly options: CorrelationEngineOptions;
  private readonly campaigns: CampaignDetector;

  private readonly members: MemberOwnership;

  /**
   * `members`: a `MemberDirectory` (its ranges are indexed once here, so build a new engine when
   * the directory changes) or any `ownerOfAddress` function holder.
   */
  constructor(
    private readonly ruleSet: RuleSet,
    private readonly indicators: IndicatorIndex,
    members: MemberOwnership | (MemberOwnership & { all(): Iterable<MemberRanges> }),
    options: Partial<CorrelationEngineOptions> = {},
  ) {
    this.members = fastOwnership(members);
    this.options = { ...defaultCorrelationEngineOptions, ...options };
    if (this.options.campaignMinMembers < 2) throw new Error('campaignMinMembers must be at least 2');
    this.campaigns = new CampaignDetector({
      minMembers: this.options.campaignMinMembers,
      windowMs: this.options.campaignWindowMs,
      promotionValidityMs: this.options.promotionValidityMs,
      promotionConfidence: this.options.promotionConfidence,
      addressScope: this.options.addressScope,
    });
  }

  async evaluate(events: readonly SocEvent[], stores: CorrelationStores, opts: { now?: Date } = {}): Promise<CorrelationResult> {
    const now = opts.now ?? new Date();
    const detectedAt = now.toISOString();
    // Each event's @timestamp is parsed once, here, and shared with the rule set.
    const times = new Float64Array(events.length);
    for (let i = 0; i < events.length; i++) times[i] = eventTimeMs(events[i]['@timestamp']);
    const rules = await this.ruleSet.evaluate(events, stores.windows, { now, times });

    const origin = new MemberOriginDetector(this.members, this.options.bucketMs);
    const indicatorGroups = new Map<string, DetectionAggregate>();
    const sightings = new Map<string, BatchIndicatorSighting>();
    const campaignSightings: CampaignSighting[] = [];
    let indicatorHits = 0;
    let suppressedIndicatorHits = 0;
    let indicatorEvents = 0;
    const hits: IndicatorHit[] = [];

    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      const time = times[i];
      if (Number.isNaN(time)) continue; // counted by the rule set
      const memberId = event.organization?.id ?? '';
      const eventId = event.event?.id ?? '';
      if (hits.length !== 0) hits.length = 0; // setting length is a slow path even on an empty array
      suppressedIndicatorHits += matchEventIndicators(this.indicators, event, time, hits);
      if (hits.length > 0) {
        let added = 0;
        for (const hit of hits) {
          if (this.isNonGlobalPromotion(hit.indicator)) {
            suppressedIndicatorHits++;
            continue;
          }
          this.addIndicatorHit(indicatorGroups, sightings, campaignSightings, hit, memberId, time, eventId);
          added++;
        }
        if (added > 0) indicatorEvents++;
        indicatorHits += added;
      }
      const sourceIp = event.source?.ip;
      if (sourceIp !== undefined && isFailedAuthentication(event)) origin.record(sourceIp, memberId, time, [eventId], 'failed_authentication');
    }

    const detections = rules.detections;
    for (const aggregate of indicatorGroups.values()) detections.push(aggregate.toDetection(detectedAt));
    // Whether an actor address is globally routable, once per address per batch: a flood of matches
    // names the same few attackers, and ipaddr.js parses an address twice per question.
    const routable = new Map<string, boolean>();
    for (const detection of [...detections]) this.fromDetection(detection, origin, campaignSightings, routable);
    detections.push(...origin.drain(detectedAt));

    const campaign = await this.evaluateCampaigns(campaignSightings, stores.campaigns, detectedAt);
    detections.push(...campaign.detections);

    return {
      detections,
      late: rules.late,
      lateEvents: rules.lateEvents,
      lateEventIds: rules.lateEventIds,
      indicatorHits,
      suppressedIndicatorHits,
      sightings: [...sightings.values()],
      promotions: campaign.promotions,
      commit: { windows: rules.fired, campaigns: campaign.fired },
      stats: {
        events: events.length,
        // An event matching both a rule and an indicator is counted twice here: cheap and an upper bound.
        matchedEvents: Math.min(events.length, rules.matchedEvents + indicatorEvents),
        invalidTimestamps: rules.invalidTimestamps,
        suppressed: rules.suppressed,
        windowAdditions: rules.windowAdditions,
        evicted: rules.evicted,
      },
    };
  }

  private addIndicatorHit(
    groups: Map<string, DetectionAggregate>,
    sightings: Map<string, BatchIndicatorSighting>,
    campaignSightings: CampaignSighting[],
    hit: IndicatorHit,
    memberId: string,
    time: number,
    eventId: string,
  ): void {
    const { indicator } = hit;
    const promoted = indicator.source === promotedIndicatorSource;
    const bucket = bucketStart(time, this.options.bucketMs);
    const aggregate = aggregateFor(groups, `${indicator.id}\u0000${memberId}\u0000${bucket}`, () => {
      const tags = [`tlp:${indicator.tlp}`, `indicator.source:${indicator.source}`, ...indicator.labels];
      const level = levelFromConfidence(indicator.confidence);
      const ref = promoted ? earlyWarningRuleRef(level, tags) : indicatorRuleRef(level, tags);
      const created = new DetectionAggregate(promoted ? 'early_warning' : 'indicator', ref, memberId, `indicator:${indicator.id}`, bucket);
      created.observe('indicator.id', indicator.id);
      created.observe('indicator.source', indicator.source);
      created.observe('indicator.type', indicator.type);
      return created;
    });
    aggregate.add(time, eventId);
    aggregate.observe(hit.field, hit.value);

    const sightingKey = `${indicator.id}\u0000${memberId}`;
    const sighting = sightings.get(sightingKey);
    if (sighting) {
      sighting.count++;
      if (time < sighting.time) sighting.time = time;
    } else sightings.set(sightingKey, { indicatorId: indicator.id, memberId, time, count: 1 });

    // An analyst's indicator for a private or loopback address names a host inside one member's
    // network; the same value at another member is another host, so it is no shared campaign.
    if (nonGlobalRangeOfIndicator(indicator, this.options.addressScope) !== undefined) return;
    campaignSightings.push({
      key: campaignKeyOfIndicator(indicator),
      observable: promoted ? { field: 'source.ip', value: indicator.value } : { field: `indicator.${indicator.type}`, value: indicator.value },
      memberId,
      time,
      eventId,
    });
  }

  /** A member's rule, correlation or indicator detection: an actor sighting and a possible member-origin sign. */
  private fromDetection(detection: Detection, origin: MemberOriginDetector, campaignSightings: CampaignSighting[], routable: Map<string, boolean>): void {
    const memberId = detection.organization.id;
    if (memberId === crossMemberOrganizationId) return;
    const time = Date.parse(detection.first_seen);
    for (const observable of detection.observables) {
      if (!actorFields.has(observable.field)) continue;
      const ip = observable.value;
      if (!looksLikeIp.test(ip)) continue; // '-' and host names are no actor
      origin.record(ip, memberId, time, detection.event_ids, 'detection');
      // 127.0.0.1 or 10.0.0.5 is a different host at every member (its reverse proxy, its own
      // client): never one actor across members. Member origin above uses declared ranges instead.
      let global = routable.get(ip);
      if (global === undefined) {
        global = isGloballyRoutable(ip, this.options.addressScope);
        routable.set(ip, global);
      }
      if (!global) continue;
      // Indicator hits already count towards their indicator's campaign; informational rules (a 404,
      // one denied packet) describe the internet's background, not an actor.
      if ((detection.kind === 'rule' || detection.kind === 'correlation') && detection.rule.level !== 'informational') {
        campaignSightings.push({
          key: actorCampaignKey(ip),
          observable: { field: 'source.ip', value: ip },
          memberId,
          time,
          eventId: detection.event_ids[0] ?? detection.fingerprint,
        });
      }
    }
  }

  /**
   * A campaign indicator promoted for a non-global address (written before such actors were
   * excluded) would warn every member behind a proxy: held back like a warninglisted hit.
   */
  private isNonGlobalPromotion(indicator: Parameters<typeof nonGlobalRangeOfIndicator>[0] & { source: string }): boolean {
    return indicator.source === promotedIndicatorSource && nonGlobalRangeOfIndicator(indicator, this.options.addressScope) !== undefined;
  }

  private async evaluateCampaigns(sightings: CampaignSighting[], store: CampaignStore, detectedAt: string) {
    if (sightings.length === 0) return { detections: [], promotions: [], fired: [] };
    const byKey = new Map<string, CampaignSighting[]>();
    for (const s of sightings) {
      const list = byKey.get(s.key);
      if (list) list.push(s);
      else byKey.set(s.key, [s]);
    }
    const states = await store.recordSightings(sightings, this.options.campaignWindowMs);
    return this.campaigns.decide(states, byKey, detectedAt);
  }
}

/**
 * Observables naming the attacking address: ECS, Windows' raw field that rules group by, and the
 * Windows spraying rule's source (an address, else a workstation name, which `looksLikeIp` skips).
 */
const actorFields = new Set(['source.ip', 'IpAddress', 'logon_source']);
const looksLikeIp = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]+)$/i;

function isFailedAuthentication(event: SocEvent): boolean {
  const e = event.event;
  // type `start`: the attempt itself, not a notice about it (sshd's "Invalid user" line is `info`).
  return e?.outcome === 'failure' && e.category !== undefined && e.category.includes('authentication') && e.type !== undefined && e.type.includes('start');
}
