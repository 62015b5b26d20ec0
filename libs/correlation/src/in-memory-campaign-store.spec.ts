import { InMemoryCampaignStore, mergeCampaign } from './in-memory-campaign-store';

const observable = { field: 'source.ip', value: '203.0.113.9' };
const sighting = (memberId: string, time: number) => ({ key: 'source.ip=203.0.113.9', observable, memberId, time, eventId: `e-${memberId}-${time}` });
const day = 24 * 3_600_000;

describe(InMemoryCampaignStore.name, () => {
  it('keeps one first/last span per member, ordered by first sighting', async () => {
    const store = new InMemoryCampaignStore();
    await store.recordSightings([sighting('0147', 50), sighting('0101', 10), sighting('0147', 5)], day);
    const [state] = await store.recordSightings([sighting('0101', 70)], day);
    expect(state.members).toEqual([
      { memberId: '0147', firstSeen: 5, lastSeen: 50 },
      { memberId: '0101', firstSeen: 10, lastSeen: 70 },
    ]);
    expect(state.firedUntil).toBeNull();
  });

  it('returns each touched key once per batch', async () => {
    const store = new InMemoryCampaignStore();
    const other = { ...sighting('0101', 1), key: 'indicator:x' };
    const states = await store.recordSightings([sighting('0101', 1), other, sighting('0147', 2)], day);
    expect(states.map((s) => s.key).sort()).toEqual(['indicator:x', 'source.ip=203.0.113.9']);
  });

  it('remembers the fired window and keeps the later of two', async () => {
    const store = new InMemoryCampaignStore();
    await store.recordSightings([sighting('0101', 1)], day);
    await store.markFired([{ key: 'source.ip=203.0.113.9', until: 500 }]);
    await store.markFired([{ key: 'source.ip=203.0.113.9', until: 300 }]);
    const [state] = await store.recordSightings([sighting('0147', 2)], day);
    expect(state.firedUntil).toBe(500);
  });

  it('drops members last seen more than two windows before the newest sighting', () => {
    const stored = mergeCampaign(undefined, [sighting('0101', 0), sighting('0147', 3 * day)], day);
    expect(stored.members.map((m) => m.memberId)).toEqual(['0147']);
  });
});
