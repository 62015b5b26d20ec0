import { parseIndicator, type Indicator } from '@soc/indicators';

/** Events per request: below STREAM_BATCH_SIZE, so one accepted request is one stream entry. */
export const EVENTS_PER_REQUEST = 100;

const feedSize = 200;
const feedIp = (n: number) => `45.${(n >> 8) & 255}.${n & 255}.${1 + (n % 250)}`;
/** One address per canary, each on its own indicator: every canary is a new alert. */
export const canaryIp = (n: number) => `100.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;

function indicator(id: string, value: string): Indicator {
  const parsed = parseIndicator({ id, type: 'ipv4', value, source: 'soak', confidence: 70, tlp: 'amber', valid_from: '2026-01-01T00:00:00Z' });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.indicator;
}

/** A small feed the steady traffic keeps hitting (its alerts fold), and one indicator per canary. */
export function soakIndicators(canaries: number): Indicator[] {
  return [
    ...Array.from({ length: feedSize }, (_, n) => indicator(`soak-feed-${n}`, feedIp(n))),
    ...Array.from({ length: canaries }, (_, n) => indicator(`soak-canary-${n}`, canaryIp(n))),
  ];
}

/**
 * One request's NDJSON body of steady traffic stamped with the current time, so that windows,
 * alert buckets and daily indices roll over as in production (a soak on a fixed event time would
 * keep one window open forever and prove nothing about expiry): 98.8 % internal flows, 1 % failed
 * SSH logins from 20 internet addresses (brute-force windows, now and then an alert), 0.2 % flows
 * to a feed address (indicator alerts, campaigns across members). Detections stay rare, as in
 * production: at 4 % and 1 % (bench:pipeline's mix) alerting fell behind at 300 events/s on this
 * machine and the canaries measured the detections queue, not the product.
 */
export function steadyBody(random: () => number): Buffer {
  const now = Date.now();
  const lines: string[] = [];
  for (let i = 0; i < EVENTS_PER_REQUEST; i++) {
    const time = new Date(now - Math.floor(random() * 5_000)).toISOString();
    const roll = random();
    if (roll < 0.01) {
      lines.push(
        JSON.stringify({
          '@timestamp': time,
          event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'ssh_login' },
          source: { ip: `185.220.${Math.floor(random() * 4)}.${1 + Math.floor(random() * 5)}` },
          user: { name: `user${Math.floor(random() * 50)}` },
        }),
      );
    } else {
      const destination = roll < 0.012 ? feedIp(Math.floor(random() * feedSize)) : `93.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.7`;
      lines.push(
        JSON.stringify({
          '@timestamp': time,
          event: { dataset: 'network.flow', category: ['network'], outcome: 'success' },
          source: { ip: `10.${Math.floor(random() * 100)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 250)}` },
          destination: { ip: destination, port: 443 },
        }),
      );
    }
  }
  return Buffer.from(lines.join('\n'));
}

/** Canary `n`: one flow to its own indicator's address, so its alert is new and its latency unambiguous. */
export function canaryBody(n: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      '@timestamp': new Date().toISOString(),
      event: { dataset: 'network.flow', category: ['network'], outcome: 'success' },
      source: { ip: '10.200.0.1' },
      destination: { ip: canaryIp(n), port: 443 },
    }),
  );
}
