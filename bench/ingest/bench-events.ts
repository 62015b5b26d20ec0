import type { SocEvent } from '@soc/contracts';

// Realistic forwarder traffic: sshd failures, firewall denies and web requests, with varied
// addresses and users, about 300–400 bytes per event as NDJSON.
const kinds = [
  (i: number) => ({
    event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'ssh_login' },
    source: { ip: `203.0.113.${i % 250}`, port: 30_000 + (i % 30_000) },
    user: { name: `user${i % 97}` },
    host: { name: `web${i % 7}.aarhus.dk` },
    process: { name: 'sshd', pid: 1000 + (i % 5000) },
    message: `Failed password for user${i % 97} from 203.0.113.${i % 250} port ${30_000 + (i % 30_000)} ssh2`,
  }),
  (i: number) => ({
    event: { dataset: 'firewall.traffic', category: ['network'], type: ['denied'], outcome: 'failure', action: 'deny' },
    source: { ip: `198.51.100.${i % 250}`, port: 1024 + (i % 60_000) },
    destination: { ip: `10.20.${i % 200}.${i % 250}`, port: [22, 443, 3389, 445][i % 4] },
    network: { transport: 'tcp' },
    host: { name: 'fw01.kommune.dk' },
    message: `DENY tcp 198.51.100.${i % 250} -> 10.20.${i % 200}.${i % 250}`,
  }),
  (i: number) => ({
    event: { dataset: 'nginx.access', category: ['web'], type: ['access'], outcome: 'success' },
    source: { ip: `192.0.2.${i % 250}` },
    url: { original: `/borger/selvbetjening?id=${i}`, domain: 'www.kommune.dk' },
    http: { request: { method: 'GET' }, response: { status_code: 200 } },
    user_agent: { original: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' },
    message: `GET /borger/selvbetjening?id=${i} HTTP/1.1 200`,
  }),
];

export function benchEvents(count: number, offset = 0): Array<Record<string, unknown>> {
  const start = Date.UTC(2026, 10, 28, 10, 0, 0);
  return Array.from({ length: count }, (_, n) => {
    const i = offset + n;
    return { '@timestamp': new Date(start + i * 10).toISOString(), ...kinds[i % kinds.length](i) };
  });
}

export function ndjson(events: Array<Record<string, unknown>>): Buffer {
  return Buffer.from(events.map((event) => JSON.stringify(event)).join('\n'));
}

/** The same events as the collector would store them, for the Redis-only baseline. */
export function stamped(events: Array<Record<string, unknown>>, memberId: string): SocEvent[] {
  const ingested = new Date().toISOString();
  return events.map((event, i) => ({
    ...event,
    event: { ...(event.event as object), id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, ingested },
    organization: { id: memberId },
  })) as unknown as SocEvent[];
}
