import { ForwarderKeyRepository, TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import { indicatorRuleRef } from '@soc/correlation';
import { AppProcess, waitFor } from './support/stack';
import { E2eDeployment } from './support/deployment';
import { yesterdayUtc } from './support/events';

/** A rule no event here matches: the test is about indicators alone. */
const quietRule = `
title: Never matches
id: 3b1f6c0e-5d2a-4e8b-9c7d-1a2b3c4d5e6f
status: test
level: low
logsource: { product: linux, service: sshd }
detection:
  selection:
    event.outcome: this-never-happens
  condition: selection
`;

// Public addresses: a feed entry for a documentation or private address is refused.
const c2 = '45.137.21.77';
const threatFox = JSON.stringify({
  '9001': [
    {
      ioc_value: `${c2}:8443`,
      ioc_type: 'ip:port',
      threat_type: 'botnet_cc',
      malware: 'win.cobalt_strike',
      malware_alias: null,
      malware_printable: 'Cobalt Strike',
      first_seen_utc: '2025-01-01 00:00:00',
      last_seen_utc: null,
      confidence_level: 100,
      reference: null,
      tags: 'c2',
      anonymous: '0',
      reporter: 'abuse_ch',
    },
  ],
});
// As MISP events carry them: a URL without a scheme, a defanged domain and a defanged ip|port.
const misp = JSON.stringify({
  Event: {
    uuid: '0b4f6a52-0000-4000-8000-00000000e2e1',
    info: 'Feed forms e2e',
    date: '2025-01-01',
    Orgc: { name: 'CFCS' },
    Attribute: [
      { uuid: 'e2e-url', type: 'url', value: 'gate.evil-feed.example/wp/gate.php', to_ids: true, timestamp: '1735689600' },
      { uuid: 'e2e-domain', type: 'domain', value: 'drop.evil-feed[.]example', to_ids: true, timestamp: '1735689600' },
      { uuid: 'e2e-ipport', type: 'ip-dst|port', value: '45.137.21[.]78|4444', to_ids: true, timestamp: '1735689600' },
    ],
  },
});

describe('indicator feeds as they arrive: ThreatFox, and MISP values without scheme, defanged or with a port', () => {
  let deployment: E2eDeployment;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    deployment = await E2eDeployment.create({ rules: { 'quiet.yml': quietRule }, env: { STREAM_BATCH_SIZE: '50' } });
  });

  afterAll(() => deployment.close(apps));

  it('imports them through the API and raises indicator alerts for events that meet them', async () => {
    const { env, redis } = deployment;
    const collector = new AppProcess('collector', env).start();
    const alerting = new AppProcess('alerting', env).start();
    const correlator = new AppProcess('correlator', env).start();
    apps.push(collector, alerting, correlator);
    await Promise.all(apps.map((app) => app.waitReady()));

    const issuer = new TokenIssuer(env.JWT_SECRET);
    const admin = { authorization: `Bearer ${issuer.issue({ sub: 'e2e-admin', role: 'soc_admin' })}` };
    const importFeed = async (format: string, body: string) => {
      const reply = await fetch(`${correlator.url}/v1/indicators/import?format=${format}`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body,
      });
      expect(reply.status).toBe(200);
      return reply.json();
    };
    expect(await importFeed('threatfox', threatFox)).toEqual({ imported: 1, errors: [] });
    expect(await importFeed('misp', misp)).toEqual({ imported: 3, errors: [] });

    const stored = async (id: string) =>
      (await (await fetch(`${correlator.url}/v1/indicators/${id}`, { headers: admin })).json()) as {
        indicator: { value: string; port?: number };
        replica: { copy: unknown };
      };
    expect((await stored('threatfox:9001')).indicator).toMatchObject({ value: c2, port: 8443, source: 'abuse.ch ThreatFox' });
    expect((await stored('e2e-url')).indicator.value).toBe('//gate.evil-feed.example/wp/gate.php');
    expect((await stored('e2e-domain')).indicator.value).toBe('drop.evil-feed.example');
    expect((await stored('e2e-ipport')).indicator).toMatchObject({ value: '45.137.21.78', port: 4444 });
    await waitFor(async () => {
      const copies = await Promise.all(['threatfox:9001', 'e2e-url', 'e2e-domain', 'e2e-ipport'].map(stored));
      return copies.every((c) => c.replica.copy !== null);
    }, 5_000);

    const key = (await new ForwarderKeyRepository(redis, env.KEY_PREFIX).create('0751')).key;
    const at = (minute: number) => yesterdayUtc(10, minute).toISOString();
    const events = [
      { '@timestamp': at(1), event: { dataset: 'network.flow', category: ['network'] }, source: { ip: '10.0.0.5' }, destination: { ip: c2, port: 8443 } },
      {
        '@timestamp': at(2),
        event: { dataset: 'network.flow', category: ['network'] },
        source: { ip: '10.0.0.6' },
        url: { full: 'https://GATE.evil-feed.example/wp/gate.php' },
      },
      {
        '@timestamp': at(3),
        event: { dataset: 'network.flow', category: ['network'] },
        source: { ip: '10.0.0.7' },
        destination: { domain: 'cdn.drop.evil-feed.example' },
      },
      {
        '@timestamp': at(4),
        event: { dataset: 'network.flow', category: ['network'] },
        source: { ip: '10.0.0.8' },
        destination: { ip: '45.137.21.78', port: 4444 },
      },
    ];
    const sent = await fetch(`${collector.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
      body: events.map((e) => JSON.stringify(e)).join('\n'),
    });
    expect(sent.status).toBe(202);

    const matchedIndicatorIds = async (): Promise<string[]> => {
      const reply = await fetch(`${alerting.url}/alerts?size=100`, { headers: admin });
      const alerts = (((await reply.json()) as { alerts?: Alert[] }).alerts ?? []).filter((a) => a.rule.id === indicatorRuleRef('low', []).id);
      return alerts.flatMap((a) => a.observables.filter((o) => o.field === 'indicator.id').map((o) => o.value)).sort();
    };
    await waitFor(
      async () => (await matchedIndicatorIds()).length === 4,
      60_000,
      () => correlator.log,
    );
    expect(await matchedIndicatorIds()).toEqual(['e2e-domain', 'e2e-ipport', 'e2e-url', 'threatfox:9001']);
  });
});
