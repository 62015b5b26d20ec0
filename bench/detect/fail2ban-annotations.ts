import { readSharedLines } from './shared-data';

/** `# failJSON: {...}` before a log line: what fail2ban's filter must find on that line. */
export interface Fail2banAnnotation {
  match: boolean;
  host?: string;
  /** Some annotations name the address as `ip4`/`ip6` instead of `host`. */
  ip4?: string;
  ip6?: string;
  user?: string;
  /** Wall-clock time of the line (no offset); journal files have none. */
  time?: string;
  constraint?: string;
}

export interface Fail2banLine {
  file: string;
  lineNumber: number;
  line: string;
  annotation: Fail2banAnnotation;
  /** `journal` when the file or its section says the lines are journalctl output (no syslog timestamp). */
  logtype?: string;
}

const annotationPrefix = '# failJSON:';
const fileOptionsPrefix = '# fileOptions:';
const filterOptionsPrefix = '# filterOptions:';

/** The `logtype` an options comment sets: an object, or a list of option sets (fail2ban runs each). */
function logtypeOf(json: string): string | undefined {
  const options = JSON.parse(json) as Record<string, unknown> | Array<Record<string, unknown>>;
  const first = Array.isArray(options) ? options[0] : options;
  return typeof first?.logtype === 'string' ? first.logtype : undefined;
}

/**
 * The annotated lines of one fail2ban test log: each log line after a `# failJSON:` comment, in file
 * order. Comment lines, blank lines and unannotated lines are not part of the corpus.
 */
export function parseFail2banLog(file: string, lines: readonly string[]): Fail2banLine[] {
  const cases: Fail2banLine[] = [];
  let pending: Fail2banAnnotation | undefined;
  let fileLogtype: string | undefined;
  let sectionLogtype: string | undefined;
  lines.forEach((line, index) => {
    if (line.startsWith(fileOptionsPrefix)) {
      fileLogtype = logtypeOf(line.slice(fileOptionsPrefix.length));
    } else if (line.startsWith(filterOptionsPrefix)) {
      // A new section: its options replace the previous section's.
      sectionLogtype = logtypeOf(line.slice(filterOptionsPrefix.length));
    } else if (line.startsWith(annotationPrefix)) {
      pending = JSON.parse(line.slice(annotationPrefix.length)) as Fail2banAnnotation;
    } else if (line.startsWith('#') || line.trim().length === 0) {
      return;
    } else if (pending !== undefined) {
      const logtype = sectionLogtype ?? fileLogtype;
      cases.push({ file, lineNumber: index + 1, line, annotation: pending, ...(logtype === undefined ? {} : { logtype }) });
      pending = undefined;
    }
  });
  return cases;
}

export function readFail2banLog(file: string): Fail2banLine[] {
  return parseFail2banLog(file, readSharedLines('fail2ban-test-logs', 'logs', file));
}

/** The address fail2ban would ban for the line. */
export function offendingHost(annotation: Fail2banAnnotation): string | undefined {
  return annotation.host ?? annotation.ip4 ?? annotation.ip6;
}

/**
 * Whether the annotation holds in fail2ban's widest mode, `aggressive` (normal + ddos + extra),
 * which is what our SSH rules count (docs/DETECTION.md). `undefined` for a constraint this bench
 * does not understand: the line is then left out and counted.
 */
export function holdsInAggressiveMode(annotation: Fail2banAnnotation): boolean | undefined {
  switch (annotation.constraint) {
    case undefined:
    case "name == 'sshd'":
    case "opts.get('mode') == 'aggressive'":
      return true;
    case "opts.get('mode') != 'aggressive'":
      return false;
    default:
      return undefined;
  }
}

/** fail2ban's jail defaults (jail.conf `[DEFAULT]`). */
export const fail2banDefaults = { maxretry: 5, findtimeMs: 10 * 60_000 } as const;

/**
 * The addresses fail2ban would ban: `maxretry` failures of one host within `findtime` (a failure at
 * time t counts the failures in (t − findtime, t], as fail2ban's FailManager does). `times` are the
 * failures' instants in ms, in any order.
 */
export function wouldBan(
  failures: ReadonlyArray<{ host: string; time: number }>,
  limits: { maxretry: number; findtimeMs: number } = fail2banDefaults,
): string[] {
  const byHost = new Map<string, number[]>();
  for (const { host, time } of failures) {
    const times = byHost.get(host);
    if (times === undefined) byHost.set(host, [time]);
    else times.push(time);
  }
  const banned: string[] = [];
  for (const [host, times] of byHost) {
    times.sort((a, b) => a - b);
    let first = 0;
    for (let last = 0; last < times.length; last++) {
      while (times[last] - times[first] >= limits.findtimeMs) first++;
      if (last - first + 1 >= limits.maxretry) {
        banned.push(host);
        break;
      }
    }
  }
  return banned.sort();
}
