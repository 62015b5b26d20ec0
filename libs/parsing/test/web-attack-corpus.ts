import { readSharedLines } from './shared-data';

/**
 * The payload lists of ../shared/data/web-attack-payloads rendered into Apache combined access-log
 * lines the way a client would send them (see that folder's SOURCE.md, "How a test can use these
 * lists"), with the web-rule family each list must raise.
 */
export type WebAttackFamily = 'sqli' | 'xss' | 'traversal' | 'command_injection' | 'scanner_agent';

export interface PayloadList {
  /** Path under web-attack-payloads/. */
  file: string;
  /** The families any of which counts as flagging one of its payloads (mixed lists name several). */
  families: readonly WebAttackFamily[];
  /** Lines that are comments, not payloads (SOURCE.md names them). */
  comments?: readonly string[];
  /** How a payload enters the request. */
  placement: 'query' | 'traversal_query_and_path' | 'prefixed_traversal' | 'user_agent';
}

const sqlmap = (risk: string, name: string): PayloadList => ({
  file: `seclists/Fuzzing/Databases/SQLi/sqlmap-risk-classified/${risk}-Risk-Payloads/${name}.txt`,
  families: ['sqli'],
  placement: 'query',
});

export const payloadLists: readonly PayloadList[] = [
  // Also holds shell probes ($(sleep 50)) among its SQL: those are command injection.
  { file: 'seclists/Fuzzing/Databases/SQLi/Generic-SQLi.txt', families: ['sqli', 'command_injection'], comments: ['# from wapiti'], placement: 'query' },
  { file: 'seclists/Fuzzing/Databases/SQLi/quick-SQLi.txt', families: ['sqli'], placement: 'query' },
  { file: 'seclists/Fuzzing/Databases/SQLi/SQLi-Polyglots.txt', families: ['sqli'], placement: 'query' },
  sqlmap('Low', 'boolean_blind'),
  sqlmap('Low', 'error_based'),
  sqlmap('Low', 'inline_query'),
  sqlmap('Low', 'stacked_queries'),
  sqlmap('Low', 'time_blind'),
  sqlmap('Medium', 'stacked_queries'),
  sqlmap('Medium', 'time_blind'),
  sqlmap('High', 'boolean_blind'),
  sqlmap('High', 'error_based'),
  sqlmap('High', 'time_blind'),
  { file: 'seclists/Fuzzing/XSS/robot-friendly/XSS-Jhaddix.txt', families: ['xss'], placement: 'query' },
  { file: 'seclists/Fuzzing/XSS/robot-friendly/XSS-BruteLogic.txt', families: ['xss'], placement: 'query' },
  { file: 'seclists/Fuzzing/XSS/robot-friendly/XSS-RSNAKE.txt', families: ['xss'], placement: 'query' },
  { file: 'seclists/Fuzzing/XSS/Polyglots/XSS-Polyglots-Dmiessler.txt', families: ['xss'], placement: 'query' },
  { file: 'seclists/Fuzzing/LFI/LFI-Jhaddix.txt', families: ['traversal'], placement: 'traversal_query_and_path' },
  { file: 'seclists/Fuzzing/LFI/Linux/LFI-gracefulsecurity-linux.txt', families: ['traversal'], placement: 'prefixed_traversal' },
  {
    file: 'seclists/Fuzzing/UnixAttacks.fuzzdb.txt',
    families: ['command_injection', 'sqli', 'xss', 'traversal'],
    comments: ['# a wide sample of malicious input for unix-like targets'],
    placement: 'query',
  },
  { file: 'payloadsallthethings/Command Injection/Intruder/command-execution-unix.txt', families: ['command_injection'], placement: 'query' },
  { file: 'payloadsallthethings/Command Injection/Intruder/command_exec.txt', families: ['command_injection', 'sqli', 'xss', 'traversal'], placement: 'query' },
  { file: 'nginx-ultimate-bad-bot-blocker/_generator_lists/bad-user-agents.list', families: ['scanner_agent'], placement: 'user_agent' },
];

/** What a scanner would send for sqlmap's and wapiti's placeholders. */
const placeholders: readonly [RegExp, string][] = [
  [/\[RANDNUM(\d?)\]/g, '482$1'],
  [/\[RANDSTR\]/g, 'xKqP'],
  [/\[SLEEPTIME\]/g, '5'],
  [/\[DELIMITER_START\]/g, 'qvkxq'],
  [/\[DELIMITER_STOP\]/g, 'qzjvq'],
  [/\[ORIGVALUE\]/g, '1'],
  [/\[INFERENCE\]/g, '1=1'],
  [/\[GENERIC_SQL_COMMENT\]/g, '-- -'],
  [/__TIME__/g, '5'],
];

export function fillPlaceholders(payload: string): string {
  return placeholders.reduce((text, [pattern, value]) => text.replace(pattern, value), payload);
}

/** Percent-encodes everything but RFC 3986's unreserved characters, as SOURCE.md asks. */
export function encodeStrictly(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

/**
 * The payload as written, with what keeps the request line parseable: a space becomes %20 (a real
 * client cannot send one), and Apache's own log escaping (`\"`, `\\`, `\xhh` for control bytes).
 */
export function asSentRaw(text: string): string {
  return text.replace(/ /g, '%20');
}

/** Apache's log escaping of a request line or header (mod_log_config, 2.0.46+). */
function apacheEscape(text: string): string {
  let escaped = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x5c) escaped += '\\\\';
    else if (byte === 0x22) escaped += '\\"';
    else if (byte === 0x09) escaped += '\\t';
    else if (byte === 0x0a) escaped += '\\n';
    else if (byte < 0x20 || byte > 0x7e) escaped += `\\x${byte.toString(16).padStart(2, '0')}`;
    else escaped += String.fromCharCode(byte);
  }
  return escaped;
}

export const browserAgent = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

export function combinedLine(target: string, userAgent = browserAgent): string {
  return `203.0.113.7 - - [10/Oct/2025:13:55:36 +0000] "GET ${apacheEscape(target)} HTTP/1.1" 200 5120 "-" "${apacheEscape(userAgent)}"`;
}

export interface RenderedPayload {
  payload: string;
  /** How it was rendered: `encoded` (percent-encoded once), `raw` (as written), `path`, `user_agent`. */
  variant: string;
  line: string;
}

/** Every rendering of one payload of a list. */
export function renderPayload(list: PayloadList, payload: string): RenderedPayload[] {
  const filled = fillPlaceholders(payload);
  const query = (value: string, variant: string, path = '/products/search?q='): RenderedPayload => ({
    payload,
    variant,
    line: combinedLine(`${path}${value}`),
  });
  switch (list.placement) {
    case 'query':
      return [query(encodeStrictly(filled), 'encoded'), query(asSentRaw(filled), 'raw')];
    case 'traversal_query_and_path': {
      const asParameter = [query(encodeStrictly(filled), 'encoded', '/download?file='), query(asSentRaw(filled), 'raw', '/download?file=')];
      // A traversal also works as the path; a bare file name there is just a request for a file.
      if (!/\.\.|%2e|%252e|%c0|%u|\u2025/i.test(filled)) return asParameter;
      return [...asParameter, { payload, variant: 'path', line: combinedLine(`/static/${asSentRaw(filled).replace(/^\/+/, '')}`) }];
    }
    case 'prefixed_traversal': {
      const traversal = `../../../../${filled.replace(/^\/+/, '')}`;
      return [query(encodeStrictly(traversal), 'encoded', '/download?file='), query(asSentRaw(traversal), 'raw', '/download?file=')];
    }
    case 'user_agent': {
      const name = filled.replace(/\\(.)/g, '$1');
      return [
        { payload, variant: 'user_agent', line: combinedLine('/', `Mozilla/5.0 (compatible; ${name}/1.0)`) },
        { payload, variant: 'bare_user_agent', line: combinedLine('/', name) },
      ];
    }
  }
}

const payloadsDirectory = ['web-attack-payloads'];

/** The payloads of a list: one a line, comments left out, nothing trimmed. */
export function readPayloads(list: PayloadList): string[] {
  const comments = new Set(list.comments ?? []);
  return readSharedLines(...payloadsDirectory, ...list.file.split('/')).filter((line) => !comments.has(line));
}
