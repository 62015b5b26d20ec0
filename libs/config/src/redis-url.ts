/**
 * REDIS_URL names one Redis (`redis://`, `rediss://`) or a Redis Cluster: `redis+cluster://` (or
 * `rediss+cluster://` with TLS) followed by seed nodes, `host:port,host:port`, and optionally
 * `user:password@` in front of them, which every node takes. The client asks the seeds for the
 * cluster's layout and then talks to every master it names, so the seeds need not be all nodes,
 * and more than one lets the apps start while one seed is down (docs/CONFIGURATION.md).
 */
export interface RedisClusterAddress {
  seeds: Array<{ host: string; port: number }>;
  username?: string;
  password?: string;
  tls: boolean;
}

const clusterUrl = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#]*)(\/[^?#]*)?([?#].*)?$/;
const example = 'e.g. redis+cluster://10.0.0.1:6379,10.0.0.2:6379';

/** True when the URL names a Redis Cluster (its scheme is `redis+cluster:` or `rediss+cluster:`). */
export function isRedisClusterUrl(url: string): boolean {
  return /^rediss?\+cluster:/.test(url);
}

/** The cluster's seeds and credentials, or every problem of the URL (each naming the part at fault). */
export function parseRedisClusterUrl(url: string): { address: RedisClusterAddress } | { problems: string[] } {
  const match = clusterUrl.exec(url);
  if (match === null) return { problems: [`'${url}' is not redis+cluster://[user:password@]host:port,host:port (${example})`] };
  const [, scheme, userInfo, hostList, path, rest] = match;
  const problems: string[] = [];
  if (rest !== undefined) problems.push(`a cluster URL takes no query or fragment ('${rest}')`);
  // A cluster has only database 0 (SELECT is refused), so a database number would be silently wrong.
  if (path !== undefined && path !== '/' && path !== '/0') problems.push(`a Redis Cluster has only database 0: drop '${path}'`);
  const seeds: RedisClusterAddress['seeds'] = [];
  const items = hostList.split(',').map((s) => s.trim());
  if (hostList.trim() === '') problems.push(`redis+cluster:// needs at least one seed node host:port (${example})`);
  else
    for (const item of items) {
      const seed = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(item) ?? /^([^:[\]\s]+):(\d{1,5})$/.exec(item);
      const port = seed ? Number(seed[2]) : NaN;
      if (!seed) problems.push(`seed node '${item}' is not host:port (${example}; IPv6 as [::1]:6379)`);
      else if (port < 1 || port > 65535) problems.push(`seed node '${item}': port must be 1-65535`);
      else seeds.push({ host: seed[1], port });
    }
  if (problems.length > 0) return { problems };
  const address: RedisClusterAddress = { seeds, tls: scheme.toLowerCase() === 'rediss' };
  if (userInfo !== undefined && userInfo !== '') {
    const colon = userInfo.indexOf(':');
    const user = decodeURIComponent(colon < 0 ? userInfo : userInfo.slice(0, colon));
    if (user !== '') address.username = user;
    if (colon >= 0) address.password = decodeURIComponent(userInfo.slice(colon + 1));
  }
  return { address };
}
