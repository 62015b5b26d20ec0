/**
 * Where cross-member campaign state lives between batches. The engine decides (how many distinct
 * members, whether a window fires); a store only keeps, per campaign key, which members saw the
 * observable and when. One `recordSightings` call per batch touches each key once.
 */

/** One member seeing one observable (an indicator or an actor) at one event time. */
export interface CampaignSighting {
  /** The campaign key: `indicator:<id>` for indicator hits, `source.ip=<ip>` for actors. */
  key: string;
  observable: { field: string; value: string };
  memberId: string;
  /** Event time (`@timestamp`), milliseconds since the epoch. */
  time: number;
  eventId: string;
}

export interface CampaignMember {
  memberId: string;
  firstSeen: number;
  lastSeen: number;
}

/** What a key holds after a batch: the members seen within the window, and the fired window's end. */
export interface CampaignState {
  key: string;
  observable: { field: string; value: string };
  /** Ordered by firstSeen then memberId, so every replica sees the same order. */
  members: CampaignMember[];
  /**
   * End of the window that already fired for this key (its start + windowMs), or null. While a
   * sighting falls at or before it, the campaign is the same one: new members extend it.
   */
  firedUntil: number | null;
}

/** A batch's sightings by campaign key, in first-seen order: a store touches each key once per batch. */
export function sightingsByKey(sightings: readonly CampaignSighting[]): Map<string, CampaignSighting[]> {
  const byKey = new Map<string, CampaignSighting[]>();
  for (const sighting of sightings) {
    const list = byKey.get(sighting.key);
    if (list) list.push(sighting);
    else byKey.set(sighting.key, [sighting]);
  }
  return byKey;
}

export interface CampaignStore {
  /** One call per batch; each key touched once; returns the state of every key touched. */
  recordSightings(sightings: readonly CampaignSighting[], windowMs: number): Promise<CampaignState[]>;
  markFired(fired: ReadonlyArray<{ key: string; until: number }>): Promise<void>;
}
