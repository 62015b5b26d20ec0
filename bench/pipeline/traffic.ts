import type { Indicator } from '@soc/indicators';
import { feedIndicators, probeBody, probeIp, trafficBody } from '../support/traffic';

const feedSize = 10_000;

/** A feed of 10,000 C2 addresses the traffic sometimes reaches, and one indicator per latency probe. */
export function benchIndicators(probes: number): Indicator[] {
  return feedIndicators('bench', feedSize, probes);
}

/**
 * One member's NDJSON body of `size` events inside one event-time hour: 95 % internal flows, 4 %
 * failed SSH logins from a few internet addresses (feeding the brute-force windows), 1 % flows to
 * an address on the feed (indicator detections).
 */
export function memberBody(random: () => number, hour: number, size: number): Buffer {
  const time = () => new Date(Date.UTC(2026, 10, 28, hour, Math.floor(random() * 60), Math.floor(random() * 60))).toISOString();
  return trafficBody(random, size, time, { sshShare: 0.04, feedShare: 0.01, sshAddresses: 20, feedSize });
}

export { probeBody, probeIp };
