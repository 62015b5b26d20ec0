import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenIssuer } from '@soc/auth';
import { TestTaxiiServer } from '../../libs/indicator-store/src/taxii/taxii-server.testing';
import { E2eDeployment } from './support/deployment';
import { AppProcess, freePort, waitFor } from './support/stack';

const examples = '/work/shared/data/threat-intel/stix21-oasis';
const objectsOf = (file: string): Record<string, unknown>[] =>
  (JSON.parse(readFileSync(join(examples, file), 'utf8')) as { objects: Record<string, unknown>[] }).objects;
const apt1 = objectsOf('cti-stix2-json-schemas/examples/threat-reports/apt1.json'); // 76 objects, 10 indexable indicators
const poisonIvy = objectsOf('cti-stix2-json-schemas/examples/threat-reports/poisonivy.json'); // 155 objects
const privateC2 = objectsOf('cti-stix2-json-schemas/examples/indicator-for-c2-ip-address.json'); // 10.0.0.0
const maliciousUrl = objectsOf('cti-documentation/examples/example_json/indicator-for-malicious-url.json'); // 3 objects

const quietRule = `
title: Never matches
id: 6c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f
status: test
level: low
logsource: { product: linux, service: sshd }
detection:
  selection:
    event.outcome: this-never-happens
  condition: selection
`;

interface FeedView {
  id: string;
  cursor: string | null;
  auth: string;
  last_success_at: string | null;
  last_error: { at: string; reason: string } | null;
  consecutive_failures: number;
  totals: { pulls_succeeded: number; objects_read: number; indicators_accepted: number; refused_reserved_address: number; refused_invalid: number };
}

describe('TAXII 2.1 feeds pulled by the correlator on a schedule', () => {
  const credentials = { username: 'soc', password: 'taxii-e2e-password' };
  let deployment: E2eDeployment;
  let oasis: TestTaxiiServer;
  let locked: TestTaxiiServer;
  let dir: string;
  const apps: AppProcess[] = [];
  let env: Record<string, string>;
  let analyst: Record<string, string>;

  beforeAll(async () => {
    oasis = await new TestTaxiiServer({ credentials }).start();
    locked = await new TestTaxiiServer({ credentials }).start();
    dir = mkdtempSync(join(tmpdir(), 'taxii-e2e-'));
    const feedsFile = join(dir, 'taxii-feeds.yml');
    writeFileSync(
      feedsFile,
      `feeds:
  - id: oasis
    api_root: ${oasis.apiRoot}
    collection_id: ${oasis.collectionId}
    source: OASIS examples
    interval: 2s
    page_size: 20
    default_tlp: green
    auth: { type: basic, username: soc, password_env: TAXII_SECRET_OASIS }
  - id: locked-out
    api_root: ${locked.apiRoot}
    collection_id: ${locked.collectionId}
    source: Locked out
    interval: 2s
    max_backoff: 4s
    auth: { type: basic, username: soc, password_env: TAXII_SECRET_LOCKED }
`,
    );
    deployment = await E2eDeployment.create({
      rules: { 'quiet.yml': quietRule },
      env: { TAXII_FEEDS_FILE: feedsFile, TAXII_SECRET_OASIS: credentials.password, TAXII_SECRET_LOCKED: 'not-the-password-91c2' },
    });
    env = deployment.env;
    analyst = { authorization: `Bearer ${new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e-analyst', role: 'soc_analyst' })}` };
  });

  afterAll(async () => {
    await deployment.close(apps);
    await Promise.all([oasis.close(), locked.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const feedsOf = async (app: AppProcess): Promise<Record<string, FeedView>> => {
    const reply = await fetch(`${app.url}/v1/indicators/feeds`, { headers: analyst });
    expect(reply.status).toBe(200);
    const { feeds } = (await reply.json()) as { feeds: FeedView[] };
    return Object.fromEntries(feeds.map((f) => [f.id, f]));
  };
  const metricOf = async (app: AppProcess, line: string): Promise<number> => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const found = text.split('\n').find((l) => l.startsWith(`${line} `));
    return found === undefined ? 0 : Number(found.split(' ')[1]);
  };

  it('two replicas import the collection once, incrementally, refusing a reserved address; a failing feed stops nothing', async () => {
    oasis.add([...apt1, ...privateC2]);
    locked.add(apt1);
    const first = new AppProcess('correlator', env).start({ CONSUMER_NAME: 'taxii-a' });
    const second = new AppProcess('correlator', { ...env, CORRELATOR_PORT: String(await freePort()) }).start({ CONSUMER_NAME: 'taxii-b' });
    apps.push(first, second);
    await Promise.all([first.waitReady(), second.waitReady()]);

    let feeds: Record<string, FeedView> = {};
    await waitFor(
      async () => {
        feeds = await feedsOf(second);
        return feeds['oasis']?.last_success_at != null && feeds['locked-out']?.last_error != null;
      },
      30_000,
      () => JSON.stringify(feeds),
    );
    expect(feeds['oasis']).toMatchObject({
      auth: 'basic',
      last_error: null,
      totals: { objects_read: 77, indicators_accepted: 10, refused_reserved_address: 1, refused_invalid: 2 },
    });
    expect(feeds['locked-out']?.last_error?.reason).toMatch(/authentication failed · HTTP 401 Unauthorized/);
    expect(JSON.stringify(feeds)).not.toContain(credentials.password);

    // Stored like an import, and every replica's live copy has it.
    const id = String(apt1.find((o) => o['type'] === 'indicator' && String(o['pattern']).includes("'223.166.0.0/15'"))!['id']);
    await waitFor(async () => {
      const reply = (await (await fetch(`${first.url}/v1/indicators/${id}`, { headers: analyst })).json()) as { replica?: { copy: unknown } };
      return reply.replica?.copy != null;
    });
    const stored = (await (await fetch(`${second.url}/v1/indicators/${id}`, { headers: analyst })).json()) as { indicator: unknown };
    expect(stored.indicator).toMatchObject({ value: '223.166.0.0/15', source: 'OASIS examples', tlp: 'green' });
    expect((await fetch(`${first.url}/v1/indicators/${String(privateC2[0]!['id'])}`, { headers: analyst })).status).toBe(404);

    // New objects: the next pull asks only for what was added after the stored cursor.
    const cursor = (await feedsOf(first))['oasis']!.cursor;
    oasis.add(poisonIvy);
    await waitFor(async () => (await feedsOf(first))['oasis']!.totals.objects_read === 77 + 155, 30_000);
    const firstPageAfter = oasis.objectRequests.find((r) => r.query['added_after'] === cursor);
    expect(firstPageAfter?.query).toEqual({ added_after: cursor, limit: '20' });
    expect(oasis.objectRequests.filter((r) => r.query['added_after'] === undefined && r.query['next'] === undefined)).toHaveLength(1);

    // Two replicas, one schedule: pulls start at least an interval apart (each replica alone would pull every 2 s).
    const starts = oasis.pullStarts.map((r) => r.at);
    expect(starts.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(1_900);

    // The locked-out feed keeps failing with backoff; metrics over both replicas add up to one import.
    const sum = async (line: string) => (await metricOf(first, line)) + (await metricOf(second, line));
    expect(await sum('soc_correlator_taxii_indicators_total{feed="oasis",outcome="refused_reserved_address"}')).toBe(1);
    expect(await sum('soc_correlator_taxii_objects_total{feed="oasis"}')).toBe(77 + 155);
    expect(await sum('soc_correlator_taxii_pulls_total{feed="locked-out",outcome="failed"}')).toBeGreaterThanOrEqual(1);
    expect(locked.objectRequests).toHaveLength(0); // refused at the collection, never read
  });

  it('a restarted replica resumes from the stored cursor', async () => {
    const before = (await feedsOf(apps[0]!))['oasis']!;
    await Promise.all(apps.splice(0).map((app) => app.kill()));
    oasis.add(maliciousUrl);
    const requestsBefore = oasis.objectRequests.length;

    const restarted = new AppProcess('correlator', env).start({ CONSUMER_NAME: 'taxii-c' });
    apps.push(restarted);
    await restarted.waitReady();
    await waitFor(async () => (await feedsOf(restarted))['oasis']!.totals.objects_read === before.totals.objects_read + 3, 30_000);

    const after = oasis.objectRequests.slice(requestsBefore);
    expect(after.every((r) => r.query['added_after'] !== undefined)).toBe(true);
    expect(after.find((r) => r.query['added_after'] === before.cursor)).toBeDefined();
    const reply = await fetch(`${restarted.url}/v1/indicators/${String(maliciousUrl.find((o) => o['type'] === 'indicator')!['id'])}`, { headers: analyst });
    expect(((await reply.json()) as { indicator: unknown }).indicator).toMatchObject({ value: 'http://x4z9arb.cn/4712/', source: 'OASIS examples' });
  });

  it('answers the feeds route to SOC roles only', async () => {
    const app = apps[0]!;
    const issue = (claims: Record<string, string>) => ({ authorization: `Bearer ${new TokenIssuer(env.JWT_SECRET).issue(claims as never)}` });
    expect((await fetch(`${app.url}/v1/indicators/feeds`)).status).toBe(401);
    expect((await fetch(`${app.url}/v1/indicators/feeds`, { headers: issue({ sub: 'm', role: 'member', member_id: '0751' }) })).status).toBe(403);
    expect((await fetch(`${app.url}/v1/indicators/feeds`, { headers: issue({ sub: 'a', role: 'soc_admin' }) })).status).toBe(200);
  });
});
