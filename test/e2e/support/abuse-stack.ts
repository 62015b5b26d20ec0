import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { detectionContributionId, detectionFingerprint, type Detection } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { createElasticsearchClient } from '@soc/storage';
import { removeIndices, removeRedisKeys } from './cleanup';
import { failedSshLogins } from './events';
import { memberA, memberB, signToken } from './abuse-principals';
import { send, type Answer } from './abuse-http';
import { waitFor } from '../../support';
import { AppProcess, isolatedEnv, type AppName } from './stack';

/** Attackers seen at A and at B: B's address is one of the markers A must never receive. */
export const attackerOfA = '198.51.100.7';
export const attackerOfB = '203.0.113.45';
/** The address of the shared indicator the suite imports (shared by all members, not B's). */
// A public address: feeds may not bring documentation or private addresses into the shared set.
export const sharedIndicatorAddress = '45.137.21.99';

/** Member B's objects, made through the product's own APIs and pipeline, and A's key. */
export interface SeededObjects {
  keyOfA: { id: string; key: string };
  keyOfB: { id: string; key: string };
  alertOfA: string;
  alertOfB: string;
  eventIdsOfB: string[];
  /** B's own exception (scope member), made from B's alert. */
  exceptionOfB: string;
  /** A global exception made from B's alert: listed to every member (finding 5). */
  globalExceptionFromB: string;
  indicator: string;
  /** A rule of the catalogue (docs/RULES.md), a tuning of it for B, and a custom rule: ids of the rule routes. */
  rule: string;
  ruleTuningOfB: string;
  customRule: string;
  /** B's webhook dead letter as the dead-letter routes name it (`webhook:<job id>`). */
  deadLetterOfB: string;
  /** A campaign alert (shared-soc) spanning B and two other members: the id of `/campaigns/{id}`. */
  campaignOfB: string;
}

/** The bundled base rule of the SSH correlations, which the seed tunes for B (a filter that matches nothing real). */
const seededRuleId = '9e255bc2-13c5-4fb6-b8ab-7ef92a9f6b97';
const seededCustomRuleId = '6d1f0c9e-4a7b-4f0e-8a51-ab05e5eed001';

/** The three apps of one isolated deployment with B's objects seeded; `close()` removes all of it. */
export class AbuseStack {
  private constructor(
    readonly env: Record<string, string>,
    readonly apps: Record<AppName, AppProcess>,
    private readonly dir: string,
  ) {}

  static async start(overrides: Record<string, string> = {}): Promise<AbuseStack> {
    // B's webhook endpoint refuses connections: B's notification ends as a dead letter, one more of B's objects.
    const dir = mkdtempSync(join(tmpdir(), 'abuse-'));
    const membersFile = join(dir, 'members.json');
    writeFileSync(membersFile, JSON.stringify({ members: [{ id: memberB, webhooks: [{ url: 'http://127.0.0.1:9/abuse-hook', secret_ref: 'ABUSE' }] }] }));
    const env = await isolatedEnv({
      CONSUMER_CLAIM_IDLE_MS: '2000',
      EXCEPTIONS_REFRESH_MS: '500',
      MEMBERS_FILE: membersFile,
      WEBHOOK_SECRET_ABUSE: 'abuse-webhook-secret-of-b',
      WEBHOOK_ATTEMPTS: '1',
      WEBHOOK_BACKOFF_MS: '50',
      ...overrides,
    });
    const apps = { collector: new AppProcess('collector', env), correlator: new AppProcess('correlator', env), alerting: new AppProcess('alerting', env) };
    Object.values(apps).forEach((app) => app.start());
    try {
      await Promise.all(Object.values(apps).map((app) => app.waitReady()));
    } catch (error) {
      // One app failed to start: stop the others, or they would keep jest from exiting.
      await Promise.all(Object.values(apps).map((app) => app.kill()));
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return new AbuseStack(env, apps, dir);
  }

  url(app: AppName, path: string): string {
    return `${this.apps[app].url}${path}`;
  }

  /** A valid token of a role (member tokens name their member). */
  token(claims: Record<string, unknown>): Record<string, string> {
    return { authorization: `Bearer ${signToken(this.env.JWT_SECRET, claims)}` };
  }

  get admin(): Record<string, string> {
    return this.token({ sub: 'abuse-seed-admin', role: 'soc_admin' });
  }

  get logs(): string {
    return Object.values(this.apps)
      .map((app) => `--- ${app.app}\n${app.log}`)
      .join('\n');
  }

  /** Seeds through the collector's key API, HTTP ingest, the correlator's rules, alerting's API. */
  async seed(): Promise<SeededObjects> {
    const keyOfA = await this.issueKey(memberA);
    const keyOfB = await this.issueKey(memberB);
    const start = new Date(Date.now() - 5 * 60_000);
    for (const [key, attacker] of [
      [keyOfA.key, attackerOfA],
      [keyOfB.key, attackerOfB],
    ] as const) {
      const ingested = await send(this.url('collector', '/v1/events'), {
        method: 'POST',
        headers: { authorization: `ApiKey ${key}` },
        body: failedSshLogins(12, attacker, start),
        contentType: 'application/x-ndjson',
      });
      if (ingested.status !== 202) throw new Error(`seeding ingest answered ${ingested.status}: ${ingested.text}`);
    }
    const alertOfA = await this.onlyAlertOf(memberA);
    const alertOfB = await this.onlyAlertOf(memberB);
    const shown = (await send(this.url('alerting', `/alerts/${alertOfB}`), { headers: this.admin })).json as { event_ids: string[] };
    const fromAlert = async (scope: 'member' | 'global') =>
      this.expect201(
        await send(this.url('alerting', `/alerts/${alertOfB}/exception`), {
          method: 'POST',
          headers: this.admin,
          body: { scope, reason: `abuse suite ${scope}`, expires_at: new Date(Date.now() + 86_400_000).toISOString() },
        }),
      );
    const exceptionOfB = await fromAlert('member');
    const globalExceptionFromB = await fromAlert('global');
    const csv = [
      '"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"',
      `"2026-01-01 00:00:00","${sharedIndicatorAddress}","443","online","2026-11-27","AbuseBot"`,
    ].join('\n');
    const imported = await send(this.url('correlator', '/v1/indicators/import?format=csv&source=abuse'), {
      method: 'POST',
      headers: this.admin,
      body: csv,
      contentType: 'text/csv',
    });
    if (imported.status !== 200) throw new Error(`seeding indicators answered ${imported.status}: ${imported.text}`);
    const listed = (await send(this.url('correlator', `/v1/indicators?q=${sharedIndicatorAddress}`), { headers: this.admin })).json as {
      indicators: Array<{ id: string }>;
    };
    let deadLetterOfB = '';
    await waitFor(
      async () => {
        const letters = (await send(this.url('alerting', '/webhooks/dead-letters'), { headers: this.admin })).json as {
          dead_letters?: Array<{ member: string; job_id: string }>;
        };
        const ofB = (letters.dead_letters ?? []).find((letter) => letter.member === memberB);
        deadLetterOfB = ofB ? `webhook:${ofB.job_id}` : '';
        return Boolean(ofB);
      },
      60_000,
      () => this.logs,
    );
    // After B's alert exists: the tuning changes nothing the suite looks at.
    const tuned = await send(this.url('correlator', `/v1/rules/${seededRuleId}/tunings`), {
      method: 'POST',
      headers: this.admin,
      body: { member_id: memberB, filter: { 'user.name': 'abuse-seed-nobody' }, why: 'abuse suite seed' },
    });
    if (tuned.status !== 201) throw new Error(`seeding a rule tuning answered ${tuned.status}: ${tuned.text}`);
    const custom = await send(this.url('correlator', '/v1/custom-rules'), {
      method: 'POST',
      headers: this.admin,
      body: {
        yaml: `title: Abuse suite seed\nid: ${seededCustomRuleId}\nlevel: low\nlogsource: { product: linux, service: sshd }\ndetection:\n  selection:\n    user.name: abuse-seed-nobody\n  condition: selection\n`,
        why: 'abuse suite seed',
      },
    });
    if (custom.status !== 200) throw new Error(`seeding a custom rule answered ${custom.status}: ${custom.text}`);
    const campaignOfB = await this.seedCampaign();
    return {
      rule: seededRuleId,
      ruleTuningOfB: (tuned.json as { tuning: { id: string } }).tuning.id,
      customRule: seededCustomRuleId,
      keyOfA,
      keyOfB,
      alertOfA,
      alertOfB,
      eventIdsOfB: shown.event_ids,
      exceptionOfB,
      globalExceptionFromB,
      indicator: listed.indicators[0]!.id,
      deadLetterOfB,
      campaignOfB,
    };
  }

  /**
   * A campaign over B and two members the suite does not play, put on the detections queue as the
   * correlator would (no pipeline makes one from the seed's separate attackers). Its group key and
   * address are its own, so it links none of A's or B's alerts.
   */
  private async seedCampaign(): Promise<string> {
    const now = new Date().toISOString();
    const actor = 'abuse-seed-campaign';
    const detection: Detection = {
      fingerprint: detectionFingerprint('campaign', 'shared-soc', actor, now),
      kind: 'campaign',
      rule: { id: 'campaign', title: 'Campaign across members', level: 'high', tags: [], references: [] },
      organization: { id: 'shared-soc' },
      group_key: actor,
      window_start: now,
      first_seen: now,
      last_seen: now,
      event_count: 3,
      event_ids: ['abuse-seed-campaign-1', 'abuse-seed-campaign-2', 'abuse-seed-campaign-3'],
      observables: [{ field: 'user.name', value: actor }],
      detected_at: now,
      campaign: { members: ['0101', memberB, '0851'].sort() },
    };
    const connection = createRedis(this.env.REDIS_URL, 'worker', 'e2e-abuse-seed');
    const queue = new Queue(this.env.DETECTIONS_QUEUE, { connection });
    try {
      await queue.add('detection', detection, { jobId: detectionContributionId(detection) });
    } finally {
      await queue.close();
      connection.disconnect();
    }
    let id = '';
    await waitFor(
      async () => {
        const listed = (await send(this.url('alerting', '/campaigns'), { headers: this.admin })).json as { campaigns?: Array<{ id: string }> };
        id = listed.campaigns?.[0]?.id ?? '';
        return id !== '';
      },
      60_000,
      () => this.logs,
    );
    return id;
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.apps).map((app) => app.kill()));
    const redis = createRedis(this.env.REDIS_URL, 'worker', 'e2e-cleanup');
    await removeRedisKeys(redis, this.env);
    redis.disconnect();
    const es = createElasticsearchClient(this.env.ELASTICSEARCH_URL);
    await removeIndices(es, this.env);
    await es.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async issueKey(member: string): Promise<{ id: string; key: string }> {
    const issued = await send(this.url('collector', '/v1/admin/forwarder-keys'), {
      method: 'POST',
      headers: this.admin,
      body: { member_id: member, label: 'abuse' },
    });
    if (issued.status !== 201) throw new Error(`issuing a key answered ${issued.status}: ${issued.text}`);
    return issued.json as { id: string; key: string };
  }

  /** The one alert the member's own token lists, once the pipeline produced it. */
  private async onlyAlertOf(member: string): Promise<string> {
    const headers = this.token({ sub: `abuse-${member}`, role: 'member', member_id: member });
    let alerts: Array<{ id: string }> = [];
    await waitFor(
      async () => {
        alerts = ((await send(this.url('alerting', '/alerts'), { headers })).json as { alerts?: Array<{ id: string }> }).alerts ?? [];
        return alerts.length > 0;
      },
      90_000,
      () => this.logs,
    );
    return alerts[0]!.id;
  }

  private expect201(answer: Answer): string {
    if (answer.status !== 201) throw new Error(`seeding answered ${answer.status}: ${answer.text}`);
    return (answer.json as { id: string }).id;
  }
}
