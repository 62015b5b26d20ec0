import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The same brute-force rule in SEC and fail2ban, timed over the same sshd file. Installed with apt
 * when missing (the development machine runs as root; elsewhere install them beforehand).
 */
export function ensureInstalled(): void {
  const missing = ['sec', 'fail2ban-regex'].filter((tool) => spawnSync('which', [tool]).status !== 0);
  if (missing.length === 0) return;
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'sec', 'fail2ban'], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** SEC: ten failed sshd passwords from one address within five minutes (SingleWithThreshold). */
export const secRule = `type=SingleWithThreshold
ptype=RegExp
pattern=sshd\\[\\d+\\]: Failed password for (?:invalid user )?\\S+ from ([0-9a-fA-F.:]+) port \\d+ ssh2
desc=SSH brute force from $1
action=write - SSH brute force from $1
window=300
thresh=10
`;

export interface ToolRun {
  seconds: number;
  /** User + system CPU time of the tool (bash's `times` for its children). */
  cpuSeconds: number;
  alerts: number;
}

/** Runs a command under bash and reads its children's CPU time from `times` on stderr. */
function timed(command: string, args: string[]): { status: number | null; stdout: string; stderr: string; seconds: number; cpuSeconds: number } {
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const started = process.hrtime.bigint();
  const result = spawnSync('bash', ['-c', `${quoted}; status=$?; times >&2; exit $status`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const lines = result.stderr.trim().split('\n');
  const children = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s/.exec(lines[lines.length - 1] ?? '');
  const cpuSeconds = children ? Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4]) : seconds;
  return { status: result.status, stdout: result.stdout, stderr: lines.slice(0, -2).join('\n'), seconds, cpuSeconds };
}

export function runSec(logFile: string, dir: string): ToolRun {
  const conf = join(dir, 'ssh-bruteforce.sec');
  writeFileSync(conf, secRule);
  const result = timed('sec', [`--conf=${conf}`, `--input=${logFile}`, '--notail', '--fromstart', '--quoting', '--log=/dev/null']);
  if (result.status !== 0) throw new Error(`sec failed: ${result.stderr}`);
  return { seconds: result.seconds, cpuSeconds: result.cpuSeconds, alerts: result.stdout.split('\n').filter((l) => l.startsWith('SSH brute force')).length };
}

/** fail2ban-regex with fail2ban's own sshd filter: matching only (fail2ban's ban logic is maxretry/findtime in the jail). */
export function runFail2banRegex(logFile: string): ToolRun {
  const result = timed('fail2ban-regex', [logFile, '/etc/fail2ban/filter.d/sshd.conf']);
  if (result.status !== 0) throw new Error(`fail2ban-regex failed: ${result.stderr || result.stdout}`);
  const matched = /Lines: \d+ lines, \d+ ignored, (\d+) matched/.exec(result.stdout);
  return { seconds: result.seconds, cpuSeconds: result.cpuSeconds, alerts: matched ? Number(matched[1]) : -1 };
}
