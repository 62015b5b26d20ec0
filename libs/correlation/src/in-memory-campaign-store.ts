import { sightingsByKey, type CampaignMember, type CampaignSighting, type CampaignState, type CampaignStore } from './campaign-store';

/** What one campaign key holds between batches. */
export interface StoredCampaign {
  observable: { field: string; value: string };
  members: CampaignMember[];
  /** Newest sighting time the key has seen. */
  watermark: number;
  firedUntil: number | null;
}

/**
 * Adds one batch's sightings of one key. Members whose last sighting is more than two windows
 * behind the watermark are dropped: they can share no window with anything still arriving, and
 * the fired window (at most one window back) keeps the members it needs to list.
 * Pure, so a Redis store can apply it inside WATCH/MULTI exactly as this in-memory store does.
 */
export function mergeCampaign(previous: StoredCampaign | undefined, sightings: readonly CampaignSighting[], windowMs: number): StoredCampaign {
  const byMember = new Map<string, CampaignMember>();
  for (const member of previous?.members ?? []) byMember.set(member.memberId, { ...member });
  let watermark = previous?.watermark ?? -Infinity;
  for (const sighting of sightings) {
    if (sighting.time > watermark) watermark = sighting.time;
    const member = byMember.get(sighting.memberId);
    if (!member) byMember.set(sighting.memberId, { memberId: sighting.memberId, firstSeen: sighting.time, lastSeen: sighting.time });
    else {
      if (sighting.time < member.firstSeen) member.firstSeen = sighting.time;
      if (sighting.time > member.lastSeen) member.lastSeen = sighting.time;
    }
  }
  const keepAfter = watermark - 2 * windowMs;
  const members = [...byMember.values()].filter((m) => m.lastSeen >= keepAfter).sort(compareMembers);
  return { observable: previous?.observable ?? sightings[0].observable, members, watermark, firedUntil: previous?.firedUntil ?? null };
}

/** After a campaign window fired; a later, longer window replaces an earlier one. */
export function markCampaignFired(stored: StoredCampaign, until: number): StoredCampaign {
  return { ...stored, firedUntil: stored.firedUntil === null ? until : Math.max(stored.firedUntil, until) };
}

export function compareMembers(a: CampaignMember, b: CampaignMember): number {
  return a.firstSeen - b.firstSeen || (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0);
}

/** Campaign state in process memory: for tests, benchmarks and a single correlator. */
export class InMemoryCampaignStore implements CampaignStore {
  private readonly campaigns = new Map<string, StoredCampaign>();

  get size(): number {
    return this.campaigns.size;
  }

  async recordSightings(sightings: readonly CampaignSighting[], windowMs: number): Promise<CampaignState[]> {
    const byKey = sightingsByKey(sightings);
    const states: CampaignState[] = [];
    for (const [key, list] of byKey) {
      const stored = mergeCampaign(this.campaigns.get(key), list, windowMs);
      if (stored.members.length === 0) this.campaigns.delete(key);
      else this.campaigns.set(key, stored);
      states.push({ key, observable: stored.observable, members: stored.members.map((m) => ({ ...m })), firedUntil: stored.firedUntil });
    }
    return states;
  }

  async markFired(fired: ReadonlyArray<{ key: string; until: number }>): Promise<void> {
    for (const { key, until } of fired) {
      const stored = this.campaigns.get(key);
      if (stored) this.campaigns.set(key, markCampaignFired(stored, until));
    }
  }
}
