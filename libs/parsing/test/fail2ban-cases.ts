import { readSharedLines } from './shared-data';

/** `# failJSON: {...}` before a log line: what fail2ban's filter must find on that line. */
export interface Fail2banAnnotation {
  match: boolean;
  host?: string;
  /** Some annotations name the address as `ip4`/`ip6` instead of `host`. */
  ip4?: string;
  ip6?: string;
  user?: string;
  time?: string;
  desc?: string;
  constraint?: string;
}

export interface Fail2banCase {
  file: string;
  lineNumber: number;
  line: string;
  annotation: Fail2banAnnotation;
}

const annotationPrefix = '# failJSON:';

export function readFail2banCases(file: string): Fail2banCase[] {
  const cases: Fail2banCase[] = [];
  let pending: Fail2banAnnotation | undefined;
  readSharedLines('fail2ban-test-logs', 'logs', file).forEach((line, index) => {
    if (line.startsWith(annotationPrefix)) {
      pending = JSON.parse(line.slice(annotationPrefix.length)) as Fail2banAnnotation;
    } else if (line.startsWith('#') || line.trim().length === 0) {
      return;
    } else if (pending !== undefined) {
      cases.push({ file, lineNumber: index + 1, line, annotation: pending });
      pending = undefined;
    }
  });
  return cases;
}
