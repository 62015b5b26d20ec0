import { randomUUID } from 'node:crypto';
import { allMembers, detectionFingerprint, memberScope, type Detection } from '@soc/contracts';
import { alertId, alertKey, type StoredAlert } from '@soc/alerts';
import { AlertRepository } from './alert.repository';
import { AuditRepository } from './audit.repository';
import { createElasticsearchClient } from './elasticsearch.client';
import { IndexNames } from './index-names';
import { ensureIndexTemplates } from './index-templates';

const client = createElasticsearchClient(process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200');

function detection(memberId: string, count: number, lastSeen: string, eventIds = ['a', 'b'], firstSeen = '2026-01-01T00:00:00.000Z'): Detection {
  return {
    fingerprint: detectionFingerprint('rule-1', memberId, '203.0.113.9', firstSeen),
    kind: 'correlation',
    rule: { id: 'rule-1', title: 'SSH brute force', level: 'high', tags: [], references: [] },
    organization: { id: memberId },
    group_key: '203.0.113.9',
    window_start: firstSeen,
    first_seen: firstSeen,
    last_seen: lastSeen,
    event_count: count,
    event_ids: eventIds,
    observables: [{ field: 'source.ip', value: '203.0.113.9' }],
    detected_at: '2026-01-01T00:05:00.000Z',
  };
}

const risk = { severity: 'high' as const, risk_score: 73, reasons: ['rule level high: base 73'] };
const firstAlertId = (memberId: string) => alertId(alertKey(detection(memberId, 1, '')), 1);

describe(AlertRepository.name, () => {
  let names: IndexNames;
  let repository: AlertRepository;

  beforeEach(async () => {
    names = new IndexNames(`test-${randomUUID().slice(0, 8)}`);
    await ensureIndexTemplates(client, names);
    repository = new AlertRepository(client, names, 600);
  });

  /** The alert a detection created or folded into (every detection here can raise one). */
  async function raised(d: Detection): Promise<StoredAlert> {
    const upserted = await repository.upsertFromDetection(d, risk);
    if (upserted.outcome === 'not_raised') throw new Error('the detection raised no alert');
    return upserted.alert;
  }

  afterEach(async () => {
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
  });

  it('stores the alert as generation 1 of its key and a redelivery changes nothing', async () => {
    const d = detection('0751', 12, '2026-01-01T00:04:00.000Z');
    expect((await repository.upsertFromDetection(d, risk, '2026-01-01T00:05:00.000Z')).outcome).toBe('created');
    expect((await repository.upsertFromDetection(d, risk, '2026-01-01T00:06:00.000Z')).outcome).toBe('duplicate');
    const alert = await repository.get(allMembers, firstAlertId('0751'));
    expect(alert).toMatchObject({ id: firstAlertId('0751'), generation: 1, count: 12, updated_at: '2026-01-01T00:05:00.000Z', status: 'new' });
  });

  it('adds a later detection of the same key with other events to the alert', async () => {
    await repository.upsertFromDetection(detection('0751', 12, '2026-01-01T00:04:00.000Z', ['a', 'b']), risk);
    await repository.upsertFromDetection(detection('0751', 30, '2026-01-01T00:09:00.000Z', ['c', 'd']), risk);
    const alert = await repository.get(allMembers, firstAlertId('0751'));
    expect(alert).toMatchObject({ count: 42, last_seen: '2026-01-01T00:09:00.000Z', event_ids: ['a', 'b', 'c', 'd'] });
    expect(alert).not.toHaveProperty('contributions');
  });

  it('folds a repeat within the suppression window into a closed alert and starts generation 2 after it', async () => {
    await repository.upsertFromDetection(detection('0751', 5, '2026-01-01T00:04:00.000Z'), risk);
    await repository.update(allMembers, firstAlertId('0751'), (a) => ({ ...a, status: 'resolved' }));
    // 5 minutes after last_seen, within the 10-minute window: no new alert.
    const within = await repository.upsertFromDetection(detection('0751', 3, '2026-01-01T00:10:00.000Z', ['c'], '2026-01-01T00:09:00.000Z'), risk);
    expect(within).toMatchObject({ outcome: 'folded', alert: { id: firstAlertId('0751'), count: 8, status: 'resolved' } });
    // 20 minutes after: a new alert, generation 2.
    const after = await repository.upsertFromDetection(detection('0751', 2, '2026-01-01T00:31:00.000Z', ['d'], '2026-01-01T00:30:00.000Z'), risk);
    expect(after).toMatchObject({ outcome: 'created', alert: { id: alertId(alertKey(detection('0751', 1, '')), 2), generation: 2, count: 2, status: 'new' } });
  });

  it('adds a window update to its alert, late events included, but never raises an alert from late events alone', async () => {
    const lateOnly: Detection = {
      ...detection('0751', 0, '2026-01-01T00:00:00.000Z', []),
      window_update: true,
      late_event_count: 3,
      late_event_ids: ['x', 'y'],
    };
    expect(await repository.upsertFromDetection(lateOnly, risk)).toEqual({ outcome: 'not_raised' });
    await client.indices.refresh({ index: names.alerts });
    expect((await repository.search(allMembers)).total).toBe(0);

    await raised(detection('0751', 5, '2026-01-01T00:04:00.000Z'));
    const added: Detection = { ...detection('0751', 4, '2026-01-01T00:08:00.000Z', ['c', 'd']), window_update: true };
    expect((await repository.upsertFromDetection(added, risk)).outcome).toBe('folded');
    expect((await repository.upsertFromDetection(lateOnly, risk)).outcome).toBe('folded');
    expect((await repository.upsertFromDetection(lateOnly, risk)).outcome).toBe('duplicate');
    const alert = await repository.get(allMembers, firstAlertId('0751'));
    expect(alert).toMatchObject({ count: 9, late_event_count: 3, last_seen: '2026-01-01T00:08:00.000Z' });
  });

  it('never shows one member the alerts of another', async () => {
    await repository.upsertFromDetection(detection('0751', 5, '2026-01-01T00:04:00.000Z'), risk);
    await repository.upsertFromDetection(detection('0461', 7, '2026-01-01T00:04:00.000Z'), risk);
    await client.indices.refresh({ index: names.alerts });

    const own = await repository.search(memberScope('0751'));
    expect(own.alerts.map((a) => a.organization.id)).toEqual(['0751']);
    // Asking for another member's alerts through the filter yields nothing, not them.
    expect((await repository.search(memberScope('0751'), { memberId: '0461' })).total).toBe(0);
    expect(await repository.get(memberScope('0751'), firstAlertId('0461'))).toBeUndefined();
    expect(await repository.update(memberScope('0751'), firstAlertId('0461'), (a) => ({ ...a, status: 'resolved' }))).toBeUndefined();
    expect((await repository.search(allMembers)).total).toBe(2);
  });

  it('links a campaign to member alerts and shows a member only how many others are affected', async () => {
    for (const member of ['0751', '0461', '0101']) await repository.upsertFromDetection(detection(member, 5, '2026-01-01T00:04:00.000Z'), risk);
    const campaign: Detection = {
      ...detection('shared-soc', 15, '2026-01-01T00:04:00.000Z'),
      kind: 'campaign',
      campaign: { members: ['0751', '0461', '0101'] },
    };
    const alert = await raised(campaign);
    expect((await repository.linkCampaign(alert)).sort()).toEqual(['0101', '0461', '0751'].map(firstAlertId).sort());

    const seenByMember = await repository.get(memberScope('0751'), firstAlertId('0751'));
    expect(seenByMember?.campaign).toEqual({ id: alert.id, other_members_affected: 2 });
    expect(JSON.stringify(seenByMember)).not.toMatch(/"0461"|"0101"/);
    await client.indices.refresh({ index: names.alerts });
    const listed = await repository.search(memberScope('0751'));
    expect(JSON.stringify(listed)).not.toMatch(/"0461"|"0101"/);
    expect((await repository.get(allMembers, firstAlertId('0751')))?.campaign).toEqual({
      id: alert.id,
      members: ['0751', '0461', '0101'],
      other_members_affected: 2,
    });
  });

  it('lets a member alert created after its campaign join it', async () => {
    await repository.upsertFromDetection(detection('0751', 5, '2026-01-01T00:04:00.000Z'), risk);
    const campaign: Detection = { ...detection('shared-soc', 10, '2026-01-01T00:04:00.000Z'), kind: 'campaign', campaign: { members: ['0751', '0461'] } };
    const campaignAlert = await raised(campaign);
    await repository.linkCampaign(campaignAlert);
    const late = await raised(detection('0461', 5, '2026-01-01T00:04:00.000Z'));
    expect(await repository.joinOpenCampaign(late)).toBe(campaignAlert.id);
    expect((await repository.get(memberScope('0461'), late.id))?.campaign).toEqual({ id: campaignAlert.id, other_members_affected: 1 });
    const unrelated = await raised({ ...detection('0101', 5, '2026-01-01T00:04:00.000Z') });
    expect(await repository.joinOpenCampaign(unrelated)).toBeUndefined();
  });

  it('finds alerts by free text and pages with a cursor', async () => {
    for (const member of ['0751', '0461', '0101']) await repository.upsertFromDetection(detection(member, 5, '2026-01-01T00:04:00.000Z'), risk);
    await client.indices.refresh({ index: names.alerts });
    expect((await repository.search(allMembers, { q: 'brute' })).total).toBe(3);
    expect((await repository.search(allMembers, { q: '203.0.113.9' })).total).toBe(3);
    expect((await repository.search(allMembers, { q: 'kerberos' })).total).toBe(0);
    const first = await repository.search(allMembers, { size: 2 });
    const second = await repository.search(allMembers, { size: 2, searchAfter: first.next_cursor });
    expect(second.next_cursor).toBeUndefined();
    expect(new Set([...first.alerts, ...second.alerts].map((a) => a.id)).size).toBe(3);
    expect((await repository.search(allMembers, { size: 2, page: 2 })).alerts).toHaveLength(1);
    await expect(repository.search(allMembers, { searchAfter: 'nonsense' })).rejects.toThrow('search_after: not a cursor returned as next_cursor');
  });
});

afterAll(async () => {
  await client.close();
});

describe(AuditRepository.name, () => {
  const names = new IndexNames(`test-${randomUUID().slice(0, 8)}`);
  const audit = new AuditRepository(client, names);

  beforeAll(() => ensureIndexTemplates(client, names));
  afterAll(async () => {
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
  });

  it("returns a target's entries in order, scoped to its member", async () => {
    const base = { target: { type: 'alert' as const, id: 'x' }, organization: { id: '0751' }, actor: { sub: 'ana', role: 'soc_analyst' } };
    await audit.record({ ...base, action: 'created', at: '2026-01-01T00:00:00.000Z' });
    await audit.record({ ...base, action: 'status_changed', before: { status: 'new' }, after: { status: 'acknowledged' }, at: '2026-01-01T00:01:00.000Z' });
    expect((await audit.forTarget(allMembers, 'alert', 'x')).map((e) => e.action)).toEqual(['created', 'status_changed']);
    expect(await audit.forTarget(memberScope('0461'), 'alert', 'x')).toEqual([]);
  });

  it('keeps the display name of the actor, searchable as a keyword', async () => {
    const actor = { sub: '5f0c7a1e-0d1b', role: 'soc_analyst', name: 'Anna Andersen' };
    await audit.record({ target: { type: 'alert', id: 'named' }, organization: { id: '0751' }, actor, action: 'assigned' });
    expect((await audit.forTarget(allMembers, 'alert', 'named')).map((e) => e.actor)).toEqual([actor]);
    const found = await client.search({ index: names.audit, query: { term: { 'actor.name': 'Anna Andersen' } } });
    expect(found.hits.hits.map((hit) => (hit._source as { target: { id: string } }).target.id)).toEqual(['named']);
  });

  it('adds actor.name to an audit index created before it was mapped', async () => {
    const older = new IndexNames(`test-${randomUUID().slice(0, 8)}`);
    try {
      await client.indices.create({
        index: older.audit,
        mappings: { dynamic: false, properties: { actor: { properties: { sub: { type: 'keyword' }, role: { type: 'keyword' } } } } },
      });
      await ensureIndexTemplates(client, older);
      const mapping = await client.indices.getMapping({ index: older.audit });
      expect(mapping[older.audit].mappings.properties?.actor).toMatchObject({ properties: { name: { type: 'keyword' } } });
    } finally {
      await client.indices.delete({ index: older.all, ignore_unavailable: true, allow_no_indices: true });
      await client.indices.deleteIndexTemplate({ name: `${older.prefix}-*` }).catch(() => undefined);
    }
  });
});
