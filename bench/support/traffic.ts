import { parseIndicator, type Indicator } from '@soc/indicators';

/** Feed address `n` (45.0.0.0/8) and probe address `n` (100.64.0.0/10), each on its own indicator. */
export const feedIp = (n: number): string => `45.${(n >> 8) & 255}.${n & 255}.${1 + (n % 250)}`;
export const probeIp = (n: number): string => `100.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;

function indicator(id: string, value: string, source: string): Indicator {
  const parsed = parseIndicator({ id, type: 'ipv4', value, source, confidence: 70, tlp: 'amber', valid_from: '2026-01-01T00:00:00Z' });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.indicator;
}

/** A feed of `feedSize` C2 addresses the traffic sometimes reaches, and one indicator per probe (`<name>-probe-<n>` ids). */
export function feedIndicators(name: string, feedSize: number, probes: number, probeName = 'probe'): Indicator[] {
  return [
    ...Array.from({ length: feedSize }, (_, n) => indicator(`${name}-feed-${n}`, feedIp(n), name)),
    ...Array.from({ length: probes }, (_, n) => indicator(`${name}-${probeName}-${n}`, probeIp(n), name)),
  ];
}

/** The shares of a body's events: failed SSH logins from a few internet addresses, flows to a feed address, the rest internal flows. */
export interface TrafficMix {
  sshShare: number;
  feedShare: number;
  /** How many internet addresses per 185.220.x.0/24 the SSH failures come from. */
  sshAddresses: number;
  feedSize: number;
  /** Extra ECS fields of the SSH events. */
  sshEvent?: Record<string, unknown>;
}

/**
 * One NDJSON body of `size` events of `mix`, each stamped by `time()` (called first, then the
 * mix is drawn, so a seeded `random` gives the same bodies as before this was shared). The
 * collector stamps event.id and organization.
 */
export function trafficBody(random: () => number, size: number, time: () => string, mix: TrafficMix): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < size; i++) {
    const at = time();
    const roll = random();
    if (roll < mix.sshShare) {
      lines.push(
        JSON.stringify({
          '@timestamp': at,
          event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], outcome: 'failure', ...mix.sshEvent },
          source: { ip: `185.220.${Math.floor(random() * 4)}.${1 + Math.floor(random() * mix.sshAddresses)}` },
          user: { name: `user${Math.floor(random() * 50)}` },
        }),
      );
    } else {
      const destination =
        roll < mix.sshShare + mix.feedShare ? feedIp(Math.floor(random() * mix.feedSize)) : `93.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.7`;
      lines.push(
        JSON.stringify({
          '@timestamp': at,
          event: { dataset: 'network.flow', category: ['network'], outcome: 'success' },
          source: { ip: `10.${Math.floor(random() * 100)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 250)}` },
          destination: { ip: destination, port: 443 },
        }),
      );
    }
  }
  return Buffer.from(lines.join('\n'));
}

/** One flow to probe indicator `n`: its detection (and alert) is new, so its latency is unambiguous. */
export function probeBody(n: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      '@timestamp': new Date().toISOString(),
      event: { dataset: 'network.flow', category: ['network'], outcome: 'success' },
      source: { ip: '10.200.0.1' },
      destination: { ip: probeIp(n), port: 443 },
    }),
  );
}
