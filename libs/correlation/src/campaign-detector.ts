import type { Detection } from '@soc/contracts';
import { type AddressScopePolicy, type Indicator, isGloballyRoutable } from '@soc/indicators';
import { crossMemberOrganizationId } from '@soc/sigma';
import { campaignRuleRef } from './built-in-rules';
import type { CampaignSighting, CampaignState } from './campaign-store';
import { DetectionAggregate } from './detection-parts';

/** Source of the indicators the engine promotes from campaigns (early warning). */
export const promotedIndicatorSource = 'campaign';
const promotedIdPrefix = 'campaign:';

/** An observable to add to the shared indicator set, so the next member is warned on its first hit. */
export interface IndicatorPromotion {
  /** The campaign that promoted it; the indicator id is `campaign:<campaignKey>`. */
  campaignKey: string;
  indicator: Indicator;
}

export interface CampaignOptions {
  minMembers: number;
  windowMs: number;
  promotionValidityMs: number;
  promotionConfidence: number;
  addressScope: AddressScopePolicy;
}

export interface CampaignDecision {
  detections: Detection[];
  promotions: IndicatorPromotion[];
  fired: Array<{ key: string; until: number }>;
}

/** The campaign key an indicator hit counts towards: a promoted indicator extends its own campaign. */
export function campaignKeyOfIndicator(indicator: Pick<Indicator, 'id' | 'source'>): string {
  if (indicator.source === promotedIndicatorSource && indicator.id.startsWith(promotedIdPrefix)) {
    return indicator.id.slice(promotedIdPrefix.length);
  }
  return `indicator:${indicator.id}`;
}

export function actorCampaignKey(ip: string): string {
  return `source.ip=${ip}`;
}

/**
 * Decides, per campaign key touched by a batch, whether ≥ K distinct members saw it within T.
 *
 * - A key without a fired window (or with sightings after it) fires when K members' sightings fit
 *   in one window; the window starts at the earliest of them (no earlier than T before the K-th
 *   member's first sighting). Fingerprint: campaign rule, `shared-soc`, key, window start.
 * - A member first seen inside an already fired window extends that campaign: the engine emits the
 *   same fingerprint again with the grown member list. It is a new contribution to the same alert
 *   (its event ids are the new sightings), so alerting folds it in and replaces the member list.
 */
export class CampaignDetector {
  constructor(private readonly options: CampaignOptions) {}

  decide(states: readonly CampaignState[], batch: ReadonlyMap<string, CampaignSighting[]>, detectedAt: string): CampaignDecision {
    const decision: CampaignDecision = { detections: [], promotions: [], fired: [] };
    for (const state of states) {
      const sightings = batch.get(state.key) ?? [];
      const extended = this.extension(state, sightings);
      const window = extended ?? this.firingWindow(state);
      if (!window) continue;
      const members = state.members.filter((m) => m.firstSeen <= window.until && m.lastSeen >= window.start);
      if (members.length < Math.max(2, extended ? 2 : this.options.minMembers)) continue;
      const inWindow = sightings.filter((s) => s.time >= window.start && s.time <= window.until);
      if (inWindow.length === 0) continue;
      decision.detections.push(this.detection(state, window.start, members, inWindow, detectedAt));
      if (!extended) decision.fired.push({ key: state.key, until: window.until });
      const promotion = this.promotion(state, window.start, members);
      if (promotion) decision.promotions.push(promotion);
    }
    return decision;
  }

  /** The fired window, if this batch brought a member into it for the first time (or replays the batch that did). */
  private extension(state: CampaignState, sightings: readonly CampaignSighting[]): { start: number; until: number } | undefined {
    if (state.firedUntil === null) return undefined;
    const until = state.firedUntil;
    const start = until - this.options.windowMs;
    const firstInBatch = new Map<string, number>();
    for (const s of sightings) {
      const seen = firstInBatch.get(s.memberId);
      if (seen === undefined || s.time < seen) firstInBatch.set(s.memberId, s.time);
    }
    const introduced = state.members.some((m) => firstInBatch.get(m.memberId) === m.firstSeen && m.firstSeen >= start && m.firstSeen <= until);
    return introduced ? { start, until } : undefined;
  }

  private firingWindow(state: CampaignState): { start: number; until: number } | undefined {
    const { minMembers, windowMs } = this.options;
    const after = state.firedUntil ?? -Infinity;
    const candidates = state.members
      .filter((m) => m.lastSeen > after)
      .map((m) => ({ first: Math.max(m.firstSeen, after + 1), last: m.lastSeen }))
      .sort((a, b) => a.first - b.first);
    for (let j = minMembers - 1; j < candidates.length; j++) {
      const end = candidates[j].first;
      const qualifying = candidates.slice(0, j + 1).filter((c) => c.last >= end - windowMs);
      if (qualifying.length < minMembers) continue;
      const start = Math.max(end - windowMs, Math.min(...qualifying.map((c) => c.first)));
      return { start, until: start + windowMs };
    }
    return undefined;
  }

  private detection(
    state: CampaignState,
    windowStart: number,
    members: CampaignState['members'],
    sightings: readonly CampaignSighting[],
    detectedAt: string,
  ): Detection {
    const aggregate = new DetectionAggregate('campaign', campaignRuleRef, crossMemberOrganizationId, state.key, windowStart);
    for (const s of sightings) aggregate.add(s.time, s.eventId);
    // first/last seen describe the whole campaign window, not only this batch's share of it.
    for (const m of members) {
      aggregate.first = Math.min(aggregate.first, Math.max(m.firstSeen, windowStart));
      aggregate.last = Math.max(aggregate.last, m.lastSeen);
    }
    aggregate.observe(state.observable.field, state.observable.value);
    const detection = aggregate.toDetection(detectedAt);
    detection.campaign = { members: members.map((m) => m.memberId).sort() };
    return detection;
  }

  /** Actors (source addresses) become shared indicators; an indicator campaign already has one. */
  private promotion(state: CampaignState, windowStart: number, members: CampaignState['members']): IndicatorPromotion | undefined {
    if (state.observable.field !== 'source.ip') return undefined;
    const ip = state.observable.value;
    // The engine records no sighting of a non-global actor; this also covers state stored before it did.
    if (!isGloballyRoutable(ip, this.options.addressScope)) return undefined;
    const lastSeen = Math.max(...members.map((m) => m.lastSeen));
    return {
      campaignKey: state.key,
      indicator: {
        id: `${promotedIdPrefix}${state.key}`,
        type: ip.includes(':') ? 'ipv6' : 'ipv4',
        value: ip,
        source: promotedIndicatorSource,
        confidence: this.options.promotionConfidence,
        tlp: 'amber',
        valid_from: new Date(windowStart),
        valid_until: new Date(lastSeen + this.options.promotionValidityMs),
        revoked: false,
        labels: ['campaign'],
        description: `Seen at ${members.length} members within ${Math.round(this.options.windowMs / 3_600_000)} h`,
      },
    };
  }
}
