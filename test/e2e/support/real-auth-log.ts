import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// A real internet-facing host's auth.log (../shared/data/elastic-examples/ssh, see its SOURCE.md).
const authLogPath = join(__dirname, '../../../../shared/data/elastic-examples/ssh/auth.log');
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Mmm dd hh:mm:ss` in UTC, as a BSD syslog line writes it (the day padded with a space). */
function bsdStampUtc(instant: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${months[instant.getUTCMonth()]} ${String(instant.getUTCDate()).padStart(2, ' ')} ${two(instant.getUTCHours())}:${two(instant.getUTCMinutes())}:${two(instant.getUTCSeconds())}`;
}

/** The first `count` sshd lines of the real auth.log that name `address`, in their order. */
function sshdLinesOf(address: string, count: number): string[] {
  const lines = readFileSync(authLogPath, 'utf8')
    .split('\n')
    .filter((line) => / sshd\[\d+\]: /.test(line) && line.includes(address))
    .slice(0, count);
  if (lines.length < count) throw new Error(`auth.log has ${lines.length} sshd lines naming ${address}, not ${count}`);
  return lines;
}

/**
 * The lines as a file on one of `host`'s disks would hold them today: the first `count` sshd lines
 * naming `address`, each restamped (UTC, one second apart, the last one second before `now`) and
 * its host name replaced; the rest of each line is the real one.
 */
export function restampedAuthLog(address: string, count: number, host: string, now = new Date()): string[] {
  return sshdLinesOf(address, count).map((line, i) =>
    line.replace(/^[A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d \S+/, `${bsdStampUtc(new Date(now.getTime() - (count - i) * 1_000))} ${host}`),
  );
}

/** The same lines' sshd messages alone (after `sshd[pid]: `), as `logger -t sshd` sends them. */
export function sshdMessagesOf(address: string, count: number): string[] {
  return sshdLinesOf(address, count).map((line) => line.replace(/^.*? sshd\[\d+\]: /, ''));
}
