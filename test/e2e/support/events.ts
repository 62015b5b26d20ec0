/** `count` failed SSH logins from one attacker as NDJSON, shaped as the collector's parsers produce them. */
export function failedSshLogins(count: number, sourceIp: string, start: Date): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      '@timestamp': new Date(start.getTime() + i * 1_000).toISOString(),
      event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'ssh_login' },
      source: { ip: sourceIp, port: 40_000 + i },
      user: { name: `user${i % 3}` },
      host: { name: 'web01.aarhus.dk' },
      process: { name: 'sshd' },
      message: `Failed password for user${i % 3} from ${sourceIp} port ${40_000 + i} ssh2`,
    }),
  ).join('\n');
}

/**
 * A time on yesterday's date (UTC), for events the tests send: well inside the collector's
 * event-time window whatever day the suite runs (a fixed date would be re-timed to arrival once
 * it is more than EVENT_TIME_MAX_PAST_SECONDS old). Overflowing minutes and seconds roll over.
 */
export function yesterdayUtc(hour: number, minute = 0, second = 0): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1, hour, minute, second));
}
