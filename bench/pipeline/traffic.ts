import { parseIndicator, type Indicator } from '@soc/indicators';

const feedSize = 10_000;
const feedIp = (n: number) => `45.${(n >> 8) & 255}.${n & 255}.${1 + (n % 250)}`;
const probeIp = (n: number) => `100.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;

function indicator(id: string, value: string): Indicator {
  const parsed = parseIndicator({ id, type: 'ipv4', value, source: 'bench', confidence: 70, tlp: 'amber', valid_from: '2026-01-01T00:00:00Z' });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.indicator;
}

/** A feed of C2 addresses the traffic sometimes reaches, and one indicator per latency probe. */
export function benchIndicators(probes: number): Indicator[] {
  return [
    ...Array.from({ length: feedSize }, (_, n) => indicator(`bench-feed-${n}`, feedIp(n))),
    ...Array.from({ length: probes }, (_, n) => indicator(`bench-probe-${n}`, probeIp(n))),
  ];
}

/**
 * One member's NDJSON body of `size` events inside one event-time hour: 95 % internal flows, 4 %
 * failed SSH logins from a few internet addresses (feeding the brute-force windows), 1 % flows to
 * an address on the feed (indicator detections). The collector stamps event.id and organization.
 */
export function memberBody(random: () => number, hour: number, size: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < size; i++) {
    const time = new Date(Date.UTC(2026, 10, 28, hour, Math.floor(random() * 60), Math.floor(random() * 60))).toISOString();
    const roll = random();
    if (roll < 0.04) {
      lines.push(
        JSON.stringify({
          '@timestamp': time,
          event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], outcome: 'failure' },
          source: { ip: `185.220.${Math.floor(random() * 4)}.${1 + Math.floor(random() * 20)}` },
          user: { name: `user${Math.floor(random() * 50)}` },
        }),
      );
    } else {
      const destination = roll < 0.05 ? feedIp(Math.floor(random() * feedSize)) : `93.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.7`;
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

/** One event reaching probe indicator `n`: its detection is new, so its enqueue time is its latency. */
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

export { probeIp };
