import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ForwarderKeyRepository, TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import { E2eDeployment } from './support/deployment';
import { AppProcess, waitFor } from './support/stack';

/**
 * Issue 14, order and repeatability: the same real log sent in batches of 1, 7 and 500 gives the
 * same alerts with the same counts, through the running collector, correlator and alerting. Each
 * batching is sent as its own member, so one deployment compares the three side by side. Events
 * that reach the correlator later than the allowed lateness are counted in the member's ingestion
 * health and on the alert they belong to.
 */

const repository = join(__dirname, '..', '..');
// Its first 2,000 lines (27 to 29 Mar): brute force from dozens of addresses, one of them 150 times.
const authLog = readFileSync(join(repository, '..', 'shared', 'data', 'elastic-examples', 'ssh', 'auth.log'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .slice(0, 2_000);
const ruleFiles = ['credential_access_ssh_bruteforce.yml', 'credential_access_ssh_slow_bruteforce.yml', 'credential_access_ssh_user_enumeration.yml'];
const rules = Object.fromEntries(ruleFiles.map((name) => [name, readFileSync(join(repository, 'rules', 'linux', name), 'utf8')]));
const batchingOf: Record<string, number> = { '0751': 1, '0101': 7, '0461': 500 };
// The log's year-less lines read as 2026's: every batching sends the same reference time.
const referenceTime = '2026-04-21T00:00:00Z';

interface AlertFigures {
  count: number;
  late: number;
  first_seen: string;
  last_seen: string;
}

describe('the same log in any batching gives the same alerts', () => {
  let deployment: E2eDeployment;
  let env: Record<string, string>;
  const apps: AppProcess[] = [];
  let collector: AppProcess;
  let alerting: AppProcess;
  const analyst = () => ({ authorization: `Bearer ${new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e', role: 'soc_analyst' })}` });

  beforeAll(async () => {
    deployment = await E2eDeployment.create({
      rules,
      env: {
        // The log is from months ago: keep its own times instead of re-timing it to arrival.
        EVENT_TIME_MAX_PAST_SECONDS: String(5 * 365 * 86_400),
        STATISTICS_FINAL_AFTER_DAYS: String(5 * 365 + 1),
        // Three members sending the same attackers would be a campaign, whose early warnings go to
        // whichever member's events come next: right, but not what this compares.
        CAMPAIGN_MIN_MEMBERS: '10',
      },
    });
    env = deployment.env;
    collector = new AppProcess('collector', env).start();
    alerting = new AppProcess('alerting', env).start();
    const correlator = new AppProcess('correlator', env).start();
    apps.push(collector, alerting, correlator);
    await Promise.all(apps.map((app) => app.waitReady()));
  }, 120_000);

  afterAll(() => deployment.close(apps));

  async function send(key: string, lines: readonly string[]): Promise<void> {
    const reply = await fetch(`${collector.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${key}`, 'content-type': 'text/plain', 'x-log-reference-time': referenceTime },
      body: lines.join('\n'),
    });
    expect(reply.status).toBe(202);
  }

  async function alertsByMember(): Promise<Map<string, Map<string, AlertFigures>>> {
    const byMember = new Map<string, Map<string, AlertFigures>>();
    for (const member of Object.keys(batchingOf)) {
      const reply = await fetch(`${alerting.url}/alerts?size=500&member=${member}`, { headers: analyst() });
      const alerts = ((await reply.json()) as { alerts: Alert[] }).alerts;
      const figures = new Map<string, AlertFigures>();
      for (const alert of alerts) {
        figures.set(`${alert.rule.id} ${alert.group_key}`, {
          count: alert.count,
          late: alert.late_event_count ?? 0,
          first_seen: alert.first_seen,
          last_seen: alert.last_seen,
        });
      }
      byMember.set(member, figures);
    }
    return byMember;
  }

  /** Per alert the three members disagree on, each member's figures. */
  function differences(seen: Map<string, Map<string, AlertFigures>>): string {
    const keys = new Set([...seen.values()].flatMap((figures) => [...figures.keys()]));
    const lines: string[] = [];
    for (const key of keys) {
      const each = Object.keys(batchingOf).map((member) => JSON.stringify(seen.get(member)?.get(key) ?? null));
      if (new Set(each).size > 1) lines.push(`${key}: ${each.join(' | ')}`);
    }
    return `${lines.length} of ${keys.size}\n${lines.slice(0, 30).join('\n')}`;
  }

  const sorted = (figures: Map<string, AlertFigures> | undefined) => [...(figures ?? [])].sort(([a], [b]) => (a < b ? -1 : 1));

  it('in batches of 1, 7 and 500: identical alerts and counts', async () => {
    const keys = new ForwarderKeyRepository(deployment.redis, env.KEY_PREFIX);
    const started = Date.now();
    await Promise.all(
      Object.entries(batchingOf).map(async ([member, size]) => {
        const { key } = await keys.create(member);
        for (let start = 0; start < authLog.length; start += size) await send(key, authLog.slice(start, start + size));
      }),
    );

    const sentInMs = Date.now() - started;
    let seen = new Map<string, Map<string, AlertFigures>>();
    // The three agree once every window update has reached its alert.
    await waitFor(
      async () => {
        seen = await alertsByMember();
        const [one, seven, fiveHundred] = [seen.get('0751'), seen.get('0101'), seen.get('0461')];
        return (
          (one?.size ?? 0) > 0 &&
          JSON.stringify(sorted(one)) === JSON.stringify(sorted(seven)) &&
          JSON.stringify(sorted(one)) === JSON.stringify(sorted(fiveHundred))
        );
      },
      180_000,
      () => `sent in ${sentInMs} ms; where the batchings differ: ${differences(seen)}`,
    );
    const alerts = sorted(seen.get('0461'));
    // Brute force from many addresses; some alerts count far more than the threshold of 5.
    expect(alerts.length).toBeGreaterThan(3);
    expect(Math.max(...alerts.map(([, figures]) => figures.count))).toBeGreaterThan(100);
  }, 300_000);

  it("counts events that arrive too late for their window in the member's ingestion health and on the alert", async () => {
    const keys = new ForwarderKeyRepository(deployment.redis, env.KEY_PREFIX);
    const { key } = await keys.create('0461');
    // An attacker's first lines again (05:29 on 28 Mar), after its last one (17:06): hours behind
    // its group's newest event, far more than the allowed 15 minutes.
    const attacker = '91.197.232.109';
    const replay = authLog.filter((line) => line.includes(attacker)).slice(0, 20);
    const before = await alertsByMember();
    await send(key, replay);

    const admin = { authorization: `Bearer ${new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e-admin', role: 'soc_admin' })}` };
    let late = 0;
    await waitFor(
      async () => {
        const reply = await fetch(`${collector.url}/v1/ingestion/health?member=0461`, { headers: admin });
        late = ((await reply.json()) as { members: Array<{ late_for_correlation: number }> }).members[0]?.late_for_correlation ?? 0;
        return late > 0;
      },
      60_000,
      () => `late_for_correlation=${late}`,
    );
    let after = before;
    await waitFor(
      async () => {
        after = await alertsByMember();
        return sorted(after.get('0461')).some(([key, figures]) => key.includes(attacker) && figures.late > 0);
      },
      60_000,
      () => JSON.stringify(sorted(after.get('0461'))).slice(0, 2000),
    );
    // Late events are on the alert, not in its count; the other members see nothing of them.
    for (const [alertKey, figures] of sorted(after.get('0461'))) {
      expect(figures.count).toBe(before.get('0461')?.get(alertKey)?.count);
    }
    expect(sorted(after.get('0751')).every(([, figures]) => figures.late === 0)).toBe(true);
    const lateOnAlerts = sorted(after.get('0461'))
      .filter(([key]) => !key.includes(attacker))
      .reduce((sum, [, figures]) => sum + figures.late, 0);
    expect(lateOnAlerts).toBe(0);
    expect(late).toBeLessThanOrEqual(replay.length);
  }, 180_000);
});
