import { randomUUID } from 'node:crypto';
import { allMembers, detectionFingerprint, memberScope, type Detection } from '@soc/contracts';
import { AlertRepository } from './alert.repository';
import { createElasticsearchClient } from './elasticsearch.client';
import { IndexNames } from './index-names';
import { ensureIndexTemplates } from './index-templates';

const client = createElasticsearchClient(process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200');

function detection(memberId: string, count: number, lastSeen: string, eventIds = ['a', 'b']): Detection {
  return {
    fingerprint: detectionFingerprint('rule-1', memberId, '203.0.113.9', '2026-01-01T00:00:00.000Z'),
    kind: 'correlation',
    rule: { id: 'rule-1', title: 'SSH brute force', level: 'high', tags: [], references: [] },
    organization: { id: memberId },
    group_key: '203.0.113.9',
    window_start: '2026-01-01T00:00:00.000Z',
    first_seen: '2026-01-01T00:00:00.000Z',
    last_seen: lastSeen,
    event_count: count,
    event_ids: eventIds,
    observables: [{ field: 'source.ip', value: '203.0.113.9' }],
    detected_at: '2026-01-01T00:05:00.000Z',
  };
}

const risk = { severity: 'high' as const, risk_score: 73, reasons: ['rule level high: base 73'] };

describe(AlertRepository.name, () => {
  let names: IndexNames;
  let repository: AlertRepository;

  beforeEach(async () => {
    names = new IndexNames(`test-${randomUUID().slice(0, 8)}`);
    await ensureIndexTemplates(client, names);
    repository = new AlertRepository(client, names);
  });

  afterEach(async () => {
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
  });

  it('stores the alert under its fingerprint and a redelivery changes nothing', async () => {
    const d = detection('0751', 12, '2026-01-01T00:04:00.000Z');
    await repository.upsertFromDetection(d, risk, '2026-01-01T00:05:00.000Z');
    await repository.upsertFromDetection(d, risk, '2026-01-01T00:06:00.000Z');
    const alert = await repository.get(allMembers, d.fingerprint);
    expect(alert).toMatchObject({ id: d.fingerprint, count: 12, updated_at: '2026-01-01T00:05:00.000Z', status: 'new' });
  });

  it('adds a later detection of the same fingerprint with other events to the alert', async () => {
    await repository.upsertFromDetection(detection('0751', 12, '2026-01-01T00:04:00.000Z', ['a', 'b']), risk);
    await repository.upsertFromDetection(detection('0751', 30, '2026-01-01T00:09:00.000Z', ['c', 'd']), risk);
    const alert = await repository.get(allMembers, detection('0751', 1, '').fingerprint);
    expect(alert).toMatchObject({ count: 42, last_seen: '2026-01-01T00:09:00.000Z', event_ids: ['a', 'b', 'c', 'd'] });
    expect(alert).not.toHaveProperty('contributions');
  });

  it('never shows one member the alerts of another', async () => {
    const aarhus = detection('0751', 5, '2026-01-01T00:04:00.000Z');
    const odense = detection('0461', 7, '2026-01-01T00:04:00.000Z');
    await repository.upsertFromDetection(aarhus, risk);
    await repository.upsertFromDetection(odense, risk);
    await client.indices.refresh({ index: names.alerts });

    const own = await repository.search(memberScope('0751'));
    expect(own.alerts.map((a) => a.organization.id)).toEqual(['0751']);
    // Asking for another member's alerts through the filter yields nothing, not them.
    expect((await repository.search(memberScope('0751'), { memberId: '0461' })).total).toBe(0);
    expect(await repository.get(memberScope('0751'), odense.fingerprint)).toBeUndefined();
    expect((await repository.search(allMembers)).total).toBe(2);
  });
});
