import { InMemoryCampaignStore } from '@soc/correlation';
import { InMemoryWindowStore, type WindowUpdate } from '@soc/sigma';
import { DeferredFiring } from './deferred-firing';

const update: WindowUpdate = {
  scope: 'rule\u00000751',
  group: '192.0.2.1',
  entries: [{ time: 1_000, value: 'v', eventId: 'e1' }],
  latenessMs: 60_000,
  horizonMs: 60_000,
  maxEntries: 100,
  ttlMs: 60_000,
};

describe(DeferredFiring.name, () => {
  it('spends fired windows only on commit, so a crash before it leaves them to fire again', async () => {
    const windows = new InMemoryWindowStore();
    const firing = new DeferredFiring(windows, new InMemoryCampaignStore());
    await firing.stores.windows.applyBatch([update]);
    await firing.stores.windows.markFired([{ scope: update.scope, group: update.group, until: 2_000 }]);
    // Not committed: the window is unspent for a redelivered batch.
    expect((await windows.applyBatch([{ ...update, entries: [] }]))[0]!.firedUntil).toBeNull();
    await firing.commit();
    expect((await windows.applyBatch([{ ...update, entries: [] }]))[0]!.firedUntil).toBe(2_000);
  });

  it('holds campaign firing back the same way', async () => {
    const campaigns = new InMemoryCampaignStore();
    const firing = new DeferredFiring(new InMemoryWindowStore(), campaigns);
    const sighting = { key: 'k', observable: { field: 'source.ip', value: '192.0.2.1' }, memberId: '0751', time: 1_000, eventId: 'e1' };
    await firing.stores.campaigns.recordSightings([sighting], 60_000);
    await firing.stores.campaigns.markFired([{ key: 'k', until: 61_000 }]);
    expect((await campaigns.recordSightings([sighting], 60_000))[0]!.firedUntil).toBeNull();
    await firing.commit();
    expect((await campaigns.recordSightings([sighting], 60_000))[0]!.firedUntil).toBe(61_000);
  });
});
