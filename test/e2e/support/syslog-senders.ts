import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A members file in `dir` naming loopback (127.0.0.1) as `memberId`'s syslog forwarder; returns its path. */
export function loopbackForwarderMembersFile(dir: string, memberId: string): string {
  const path = join(dir, 'members.yaml');
  writeFileSync(path, `members:\n  - id: "${memberId}"\n    forwarder_addresses: ["127.0.0.1/32"]\n`);
  return path;
}

/**
 * An rsyslog.conf in `dir` that reads a private log socket instead of /dev/log (no root, no system
 * log touched) and includes the forwarding `actionFile`. Returns the config and socket paths.
 */
export function privateRsyslogConfig(dir: string, actionFile: string): { config: string; socket: string } {
  const config = join(dir, 'rsyslog.conf');
  const socket = join(dir, 'log.sock');
  writeFileSync(
    config,
    [
      `global(workDirectory="${dir}")`,
      'module(load="imuxsock" SysSock.Use="off")',
      `input(type="imuxsock" Socket="${socket}" CreatePath="on")`,
      `include(file="${actionFile}")`,
      '',
    ].join('\n'),
  );
  return { config, socket };
}
