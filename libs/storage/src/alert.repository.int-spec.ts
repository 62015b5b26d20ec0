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

/** Places one detection that raises or folds into an alert (a precondition of a test). */
async function placedAlert(repository: AlertRepository, d: Detection): Promise<StoredAlert> {
  const upserted = await repository.upsertFromDetection(d, risk);
  if (upserted.outcome === 'not_raised') throw new Error('the detection raised no alert');
  return upserted.alert;
}
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

describe(`${AlertRepository.name} in batches`, () => {
  let names: IndexNames;
  let repository: AlertRepository;
  const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
  const place = (...detections: Detection[]) => repository.upsertManyFromDetections(detections.map((d) => ({ detection: d, risk })));

  beforeEach(async () => {
    names = new IndexNames(`test-${randomUUID().slice(0, 8)}`);
    await ensureIndexTemplates(client, names);
    repository = new AlertRepository(client, names, 600);
  });

  afterEach(async () => {
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
  });

  it('folds several detections of one key into its alert in order, with one write, each with its own placement', async () => {
    await placedAlert(repository, detection('0751', 2, at(4), ['a', 'b']));
    const before = await client.get({ index: names.alerts, id: firstAlertId('0751') });
    const placements = await place(
      detection('0751', 1, at(6), ['c']),
      detection('0461', 5, at(4)),
      detection('0751', 1, at(8), ['d']),
      detection('0751', 1, at(6), ['c']),
    );
    expect(placements).toMatchObject([
      { outcome: 'folded', alert: { id: firstAlertId('0751'), count: 3, event_ids: ['a', 'b', 'c'] } },
      { outcome: 'created', alert: { id: firstAlertId('0461'), count: 5 } },
      { outcome: 'folded', alert: { count: 4, last_seen: at(8), event_ids: ['a', 'b', 'c', 'd'] } },
      // The same contribution twice in one batch (a redelivery meeting its first delivery): folded once.
      { outcome: 'duplicate', alert: { count: 4 } },
    ]);
    const after = await client.get<StoredAlert>({ index: names.alerts, id: firstAlertId('0751') });
    expect(after._source).toMatchObject({ count: 4, event_ids: ['a', 'b', 'c', 'd'] });
    // One write for the key's three detections.
    expect(after._seq_no).toBe(before._seq_no! + 1);
  });

  it('leaves everything as it was when the same batch is delivered again', async () => {
    const batch = [detection('0751', 2, at(4), ['a', 'b']), detection('0461', 5, at(4)), detection('0751', 1, at(6), ['c'])];
    expect((await place(...batch)).map((p) => p.outcome)).toEqual(['created', 'created', 'deferred']);
    expect((await place(batch[2]!)).map((p) => p.outcome)).toEqual(['folded']);
    const stored = await client.get<StoredAlert>({ index: names.alerts, id: firstAlertId('0751') });

    expect((await place(...batch)).map((p) => p.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    const again = await client.get<StoredAlert>({ index: names.alerts, id: firstAlertId('0751') });
    expect(again._seq_no).toBe(stored._seq_no);
    expect(again._source).toEqual(stored._source);
  });

  it('defers the detections of a key after the one that raised its alert, so the alert holds that contribution alone', async () => {
    const first = detection('0751', 2, at(4), ['a', 'b']);
    const placements = await place(first, detection('0751', 1, at(6), ['c']), detection('0751', 1, at(7), ['d']));
    expect(placements.map((p) => p.outcome)).toEqual(['created', 'deferred', 'deferred']);
    expect((await repository.getStored(allMembers, firstAlertId('0751')))?.count).toBe(2);
    // A redelivery of the raising detection, while nothing else was folded in, raised it too (alertRaisedBy): still deferring.
    expect((await place(first, detection('0751', 1, at(6), ['c']))).map((p) => p.outcome)).toEqual(['duplicate', 'deferred']);
  });

  it('walks to the next generation within a batch: a fold into the closed alert, then a new alert', async () => {
    await placedAlert(repository, detection('0751', 5, at(4)));
    await repository.update(allMembers, firstAlertId('0751'), (a) => ({ ...a, status: 'resolved' }));
    const placements = await place(
      detection('0751', 3, at(10), ['c'], at(9)),
      detection('0751', 2, at(31), ['d'], at(30)),
      detection('0751', 0, at(32), [], at(31)),
    );
    expect(placements).toMatchObject([
      { outcome: 'folded', alert: { id: firstAlertId('0751'), count: 8, status: 'resolved' } },
      { outcome: 'created', alert: { generation: 2, count: 2, status: 'new' } },
      { outcome: 'deferred' },
    ]);
  });

  it('re-reads and re-places only the key another writer changed between its read and its write (409)', async () => {
    await placedAlert(repository, detection('0751', 2, at(4), ['a', 'b']));
    await placedAlert(repository, detection('0461', 2, at(4), ['a', 'b']));
    // A writer that changes the 0751 alert right after the batch's read, once: the batch's write for it conflicts.
    const mget = client.mget.bind(client);
    let interfered = false;
    const spy = jest.spyOn(client, 'mget').mockImplementation(async (...args: Parameters<typeof client.mget>) => {
      const read = await mget(...args);
      if (!interfered) {
        interfered = true;
        await repository.update(allMembers, firstAlertId('0751'), (a) => ({ ...a, status: 'acknowledged', assignee: 'anna' }));
      }
      return read;
    });
    try {
      const placements = await place(detection('0751', 1, at(6), ['c']), detection('0461', 1, at(6), ['c']));
      expect(placements).toMatchObject([
        { outcome: 'folded', alert: { count: 3 } },
        { outcome: 'folded', alert: { count: 3 } },
      ]);
      // The key that conflicted was read again (a second mget), the analyst's change kept.
      expect(spy).toHaveBeenCalledTimes(2);
      expect(spy.mock.calls[1]![0]).toMatchObject({ ids: [firstAlertId('0751')] });
    } finally {
      spy.mockRestore();
    }
    expect(await repository.getStored(allMembers, firstAlertId('0751'))).toMatchObject({ count: 3, status: 'acknowledged', assignee: 'anna' });
    expect(await repository.getStored(allMembers, firstAlertId('0461'))).toMatchObject({ count: 3 });
  });

  it('fails only the detections of a key whose write Elasticsearch refuses', async () => {
    // A first_seen that is no date: the alerts mapping refuses the document (400), not the request.
    const bad = { ...detection('0461', 2, at(4)), first_seen: 'yesterday-ish' };
    const placements = await place(detection('0751', 2, at(4)), bad, { ...bad, event_ids: ['z'] }, detection('0101', 2, at(4)));
    expect(placements.map((p) => p.outcome)).toEqual(['created', 'failed', 'failed', 'created']);
    expect((placements[1] as { error: Error }).error.message).toContain(`alert ${firstAlertId('0461')}: write refused (400)`);
    expect(await repository.getStored(allMembers, firstAlertId('0461'))).toBeUndefined();
    expect(await repository.getStored(allMembers, firstAlertId('0101'))).toMatchObject({ count: 2 });
    // The single upsert throws the same error.
    await expect(repository.upsertFromDetection(bad, risk)).rejects.toThrow(`alert ${firstAlertId('0461')}: write refused (400)`);
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

  it('records many entries with one request, telling the one Elasticsearch refused', async () => {
    const base = { target: { type: 'alert' as const, id: 'many' }, organization: { id: '0751' }, actor: { sub: 'detections-worker', role: 'system' } };
    const problems = await audit.recordMany([
      { ...base, id: 'many-1', action: 'created', at: '2026-01-01T00:00:00.000Z' },
      { ...base, id: 'many-2', action: 'created', at: 'not a time' },
      { ...base, id: 'many-3', action: 'status_changed', at: '2026-01-01T00:01:00.000Z' },
    ]);
    expect(problems[0]).toBeUndefined();
    expect(problems[1]?.message).toContain('audit entry many-2: write refused (400)');
    expect(problems[2]).toBeUndefined();
    // A repeat (a retried job) overwrites: still one entry per id.
    await audit.recordMany([{ ...base, id: 'many-1', action: 'created', at: '2026-01-01T00:00:00.000Z' }]);
    expect((await audit.forTarget(allMembers, 'alert', 'many')).map((e) => e.id)).toEqual(['many-1', 'many-3']);
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
