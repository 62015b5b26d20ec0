import type { Indicator } from '@soc/indicators';
import { feedIndicators, probeBody, probeIp, trafficBody } from '../support/traffic';

/** Events per request: below STREAM_BATCH_SIZE, so one accepted request is one stream entry. */
export const EVENTS_PER_REQUEST = 100;

const feedSize = 200;
/** One address per canary, each on its own indicator: every canary is a new alert. */
export const canaryIp = probeIp;

/** A small feed the steady traffic keeps hitting (its alerts fold), and one indicator per canary. */
export function soakIndicators(canaries: number): Indicator[] {
  return feedIndicators('soak', feedSize, canaries, 'canary');
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
  const time = () => new Date(now - Math.floor(random() * 5_000)).toISOString();
  return trafficBody(random, EVENTS_PER_REQUEST, time, {
    sshShare: 0.01,
    feedShare: 0.002,
    sshAddresses: 5,
    feedSize,
    sshEvent: { type: ['start'], action: 'ssh_login' },
  });
}

/** Canary `n`: one flow to its own indicator's address, so its alert is new and its latency unambiguous. */
export const canaryBody = probeBody;
