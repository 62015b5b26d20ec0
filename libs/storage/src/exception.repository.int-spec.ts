import { allMembers, memberScope } from '@soc/contracts';
import { alertId, alertKey, type ExceptionInput } from '@soc/alerts';
import { createElasticsearchClient } from './elasticsearch.client';
import { ExceptionRepository } from './exception.repository';
import { IndexNames } from './index-names';
import { ensureIndexTemplates } from './index-templates';
import { elasticsearchUrl, uniqueName } from '../../../test/support';

const client = createElasticsearchClient(elasticsearchUrl);
const attacker = '198.51.100.23';
const odense = '0461';
const aarhus = '0751';
// Odense's alert: its id is a hash of rule, member and group key, so anything of these could lead back to it.
const odenseAlertId = alertId(alertKey({ rule: { id: 'ssh-brute' }, organization: { id: odense }, group_key: attacker } as never), 1);

const fromOdensesAlert: ExceptionInput = {
  scope: { kind: 'global' },
  rule_id: 'ssh-brute',
  conditions: [
    { field: 'source.ip', op: 'equals', value: attacker },
    { field: 'user.name', op: 'equals', value: 'odense-svc' },
  ],
  owner: 'soc-admin-1',
  reason: `Odense (${odense}) pen test from ${attacker}`,
  expires_at: '2099-01-01T00:00:00Z',
};

describe(ExceptionRepository.name, () => {
  let names: IndexNames;
  let repository: ExceptionRepository;

  beforeEach(async () => {
    names = new IndexNames(uniqueName('test'));
    await ensureIndexTemplates(client, names);
    repository = new ExceptionRepository(client, names);
  });

  afterEach(async () => {
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
  });

  afterAll(async () => {
    await client.close();
  });

  it("lists to another member a global exception made from a member's alert with nothing that leads back to it", async () => {
    const global = await repository.create(fromOdensesAlert, 'soc-admin-1', odenseAlertId);
    const listed = await repository.list(memberScope(aarhus));
    expect(listed).toEqual([
      {
        id: global.id,
        scope: { kind: 'global' },
        rule_id: 'ssh-brute',
        conditions: [
          { field: 'source.ip', op: 'equals' },
          { field: 'user.name', op: 'equals' },
        ],
        expires_at: '2099-01-01T00:00:00Z',
      },
    ]);
    const shown = JSON.stringify([listed, await repository.get(memberScope(aarhus), global.id)]);
    for (const secret of [odenseAlertId, odense, attacker, 'odense-svc', 'soc-admin-1', 'pen test', global.created_at]) expect(shown).not.toContain(secret);
  });

  it('gives SOC roles the full exception, source alert included', async () => {
    const global = await repository.create(fromOdensesAlert, 'soc-admin-1', odenseAlertId);
    expect(await repository.list(allMembers)).toEqual([global]);
    expect(await repository.get(allMembers, global.id)).toMatchObject({ source_alert_id: odenseAlertId, conditions: fromOdensesAlert.conditions });
  });

  it('gives a member its own exception in full and hides it from every other member', async () => {
    const own = await repository.create({ ...fromOdensesAlert, scope: { kind: 'member', member_id: odense } }, 'soc-admin-1', odenseAlertId);
    expect(await repository.list(memberScope(odense))).toEqual([own]);
    expect(await repository.get(memberScope(odense), own.id)).toEqual(own);
    expect(await repository.list(memberScope(aarhus))).toEqual([]);
    expect(await repository.get(memberScope(aarhus), own.id)).toBeUndefined();
  });

  it('keeps expired exceptions listed but gives the worker only the active ones, in full', async () => {
    const kept = await repository.create(fromOdensesAlert, 'soc-admin-1');
    const ended = await repository.create({ ...fromOdensesAlert, rule_id: 'other' }, 'soc-admin-1');
    await repository.expire(ended.id);
    expect((await repository.list(memberScope(aarhus))).map((e) => [e.id, e.expired_at !== undefined])).toEqual([
      [ended.id, true],
      [kept.id, false],
    ]);
    expect(await repository.active()).toEqual([kept]);
  });

  it('refuses to store an exception without conditions, whoever calls it', async () => {
    await expect(repository.create({ ...fromOdensesAlert, conditions: [] }, 'soc-admin-1')).rejects.toThrow('needs at least one condition');
    expect(await repository.list(allMembers)).toEqual([]);
  });
});
