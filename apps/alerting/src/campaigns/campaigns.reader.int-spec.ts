import { randomUUID } from 'node:crypto';
import { allMembers, detectionFingerprint, type Detection } from '@soc/contracts';
import { AlertRepository, createElasticsearchClient, ensureIndexTemplates, IndexNames } from '@soc/storage';
import { CampaignsReader } from './campaigns.reader';

const client = createElasticsearchClient(process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200');
const risk = { severity: 'high' as const, risk_score: 73, reasons: ['rule level high: base 73'] };

function detection(member: string, actor: string, first: string, extra: Partial<Detection> = {}): Detection {
  return {
    fingerprint: detectionFingerprint('rule-1', member, actor, first),
    kind: 'rule',
    rule: { id: 'rule-1', title: 'Failed SSH login', level: 'low', tags: [], references: [] },
    organization: { id: member },
    group_key: actor,
    window_start: first,
    first_seen: first,
    last_seen: first,
    event_count: 1,
    event_ids: [`e-${member}-${first}`],
    observables: [{ field: 'source.ip', value: actor }],
    detected_at: first,
    ...extra,
  };
}

const campaign = (actor: string, members: string[], first: string): Detection =>
  detection('shared-soc', actor, first, {
    kind: 'campaign',
    rule: { id: 'campaign', title: 'Campaign across members', level: 'high', tags: [], references: [] },
    group_key: `source.ip=${actor}`,
    campaign: { members },
  });

describe(CampaignsReader.name, () => {
  let names: IndexNames;
  let alerts: AlertRepository;
  let reader: CampaignsReader;

  beforeEach(async () => {
    names = new IndexNames(`test-${randomUUID().slice(0, 8)}`);
    await ensureIndexTemplates(client, names);
    alerts = new AlertRepository(client, names, 600);
    reader = new CampaignsReader(client, names);
  });

  afterEach(async () => {
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
  });

  /** Raises the detection's alert as intake does, linking a campaign to its members' open alerts. */
  async function raise(d: Detection): Promise<string> {
    const placed = await alerts.upsertFromDetection(d, risk);
    if (placed.outcome === 'not_raised') throw new Error('no alert');
    if (d.kind === 'campaign') await alerts.linkCampaign(placed.alert);
    else await alerts.joinOpenCampaign(placed.alert);
    return placed.alert.id;
  }

  it('lists campaigns only, open first and the newest first_seen first, and counts them', async () => {
    const older = await raise(campaign('91.240.118.1', ['0101', '0461', '0751'], '2026-12-01T08:00:00.000Z'));
    const newer = await raise(campaign('91.240.118.2', ['0101', '0461', '0751'], '2026-12-01T10:00:00.000Z'));
    const closed = await raise(campaign('91.240.118.3', ['0101', '0461', '0751'], '2026-12-01T12:00:00.000Z'));
    await raise(detection('0751', '91.240.118.9', '2026-12-01T09:00:00.000Z'));
    await alerts.update(allMembers, closed, (a) => ({ ...a, status: 'resolved' }));
    await client.indices.refresh({ index: names.alerts });

    const all = await reader.list({ state: 'all', size: 100 });
    expect({ total: all.total, open: all.open, ids: all.campaigns.map((c) => c.id) }).toEqual({ total: 3, open: 2, ids: [newer, older, closed] });
    expect(all.campaigns[0]!.campaign).toEqual({ members: ['0101', '0461', '0751'], other_members_affected: 2 });
    expect((await reader.list({ state: 'open', size: 100 })).campaigns.map((c) => c.id)).toEqual([newer, older]);
    expect((await reader.list({ state: 'closed', size: 100 })).campaigns.map((c) => c.id)).toEqual([closed]);
    const one = await reader.list({ state: 'all', size: 1 });
    expect({ total: one.total, ids: one.campaigns.map((c) => c.id) }).toEqual({ total: 3, ids: [newer] });
  });

  it("answers a campaign with its members' linked alerts in the order reached, early warnings included, and nothing for another id", async () => {
    const actor = '91.240.118.23';
    const odense = await raise(detection('0461', actor, '2026-12-01T09:12:00.000Z'));
    const aarhus = await raise(detection('0751', actor, '2026-12-01T09:10:00.000Z'));
    const id = await raise(campaign(actor, ['0101', '0461', '0751'], '2026-12-01T09:10:00.000Z'));
    // Aalborg's early warning, raised after the campaign: on the campaign's address.
    const early = await raise(
      detection('0851', actor, '2026-12-01T09:30:00.000Z', {
        kind: 'early_warning',
        rule: { id: 'early', title: 'Early warning', level: 'high', tags: [], references: [] },
      }),
    );
    // Another attacker at Aarhus: not the campaign's.
    await raise(detection('0751', '91.240.118.99', '2026-12-01T09:11:00.000Z'));
    await client.indices.refresh({ index: names.alerts });

    const detail = await reader.get(id);
    expect(detail?.campaign.id).toBe(id);
    expect(detail?.alerts.map((a) => a.id)).toEqual([aarhus, odense, early]);
    expect(detail?.spread.map((s) => [s.member, s.alert_ids, s.early_warning])).toEqual([
      ['0751', [aarhus], false],
      ['0461', [odense], false],
      ['0851', [early], true],
      ['0101', [], false],
    ]);
    expect(detail?.early_warning_indicator).toBe(`campaign:source.ip=${actor}`);
    expect(await reader.get(aarhus)).toBeUndefined();
    expect(await reader.get('no-such-alert')).toBeUndefined();
  });
});
