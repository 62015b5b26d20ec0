import { parseLogLine } from './parse-log-line';
import { parseSyslogLine } from './parse-syslog-line';
import { lineReferenceTimes } from './year-inference';

const now = new Date('2026-12-02T12:00:00Z');
const sshdMessage = 'Failed password for invalid user admin from 203.0.113.7 port 52113 ssh2';
const bsdLine = `Dec  2 10:15:01 web01 sshd[4121]: ${sshdMessage}`;
const accessLine = '198.51.100.9 - - [02/Dec/2026:10:15:01 +0000] "GET /index.php?id=1%27%20OR%201%3D1 HTTP/1.1" 404 196 "-" "sqlmap/1.7"';

/** The fields a rule reads, without the header's own fields and the original text. */
function parsedFields(line: string, format?: Parameters<typeof parseLogLine>[1]['format']) {
  const result = parseLogLine(line, { now, timeZone: 'UTC', format });
  if (!result.ok) throw new Error(result.reason);
  const { log: _log, event, ...rest } = result.event as Record<string, unknown> & { event: Record<string, unknown> };
  const { original: _original, ...meta } = event;
  return { ...rest, event: meta };
}

describe('parseLogLine', () => {
  it('reads a syslog line exactly as parseSyslogLine does', () => {
    const line = `<38>${bsdLine}`;
    expect(parseLogLine(line, { now, timeZone: 'UTC' })).toEqual(parseSyslogLine(line, { now, timeZone: 'UTC' }));
  });

  it('gives a file line without PRI the same fields as the line with its PRI', () => {
    expect(parsedFields(bsdLine)).toEqual(parsedFields(`<38>${bsdLine}`));
    expect(parsedFields(bsdLine)).toMatchObject({
      '@timestamp': '2026-12-02T10:15:01.000Z',
      event: { dataset: 'linux.sshd', outcome: 'failure' },
      source: { ip: '203.0.113.7' },
      host: { hostname: 'web01' },
    });
  });

  it('reads a bare Apache access-log line (no syslog header), with url.decoded', () => {
    const result = parseLogLine(accessLine, { now });
    expect(result.ok && result.event).toMatchObject({
      event: { dataset: 'apache.access', module: 'apache', original: accessLine },
      source: { ip: '198.51.100.9' },
      url: { original: '/index.php?id=1%27%20OR%201%3D1', decoded: "/index.php?id=1' OR 1=1" },
      user_agent: { original: 'sqlmap/1.7' },
    });
  });

  it('reads a bare Apache error-log line', () => {
    const line =
      '[Wed Dec 02 10:15:01.123456 2026] [core:error] [pid 1234] [client 198.51.100.9:51234] AH00126: Invalid URI in request GET /../../etc/passwd HTTP/1.1';
    const result = parseLogLine(line, { now, timeZone: 'UTC' });
    expect(result.ok && result.event.event).toMatchObject({ dataset: 'apache.error' });
  });

  it.each([
    ['with its tag', `sshd[4121]: ${sshdMessage}`],
    ['as the message only', sshdMessage],
  ])('recognises a bare sshd message %s', (_how, line) => {
    const result = parseLogLine(line, { now });
    expect(result.ok && result.event).toMatchObject({
      event: { dataset: 'linux.sshd', outcome: 'failure', original: line },
      source: { ip: '203.0.113.7' },
      process: { name: 'sshd' },
      message: sshdMessage,
    });
  });

  it('reads a declared sshd line with or without a header alike', () => {
    expect(parsedFields(sshdMessage, 'sshd')).toMatchObject({ source: { ip: '203.0.113.7' }, event: { dataset: 'linux.sshd' } });
    expect(parsedFields(bsdLine, 'sshd')).toEqual(parsedFields(bsdLine));
  });

  it('reads a declared nginx access line as nginx', () => {
    const result = parseLogLine(accessLine, { now, format: 'nginx-access' });
    expect(result.ok && result.event.event).toMatchObject({ dataset: 'nginx.access', module: 'nginx' });
  });

  it.each([
    ['free text', 'hello world, nothing to see'],
    ['a JSON fragment', '{"not": "a log line"'],
  ])('answers %s with a failure that names why (the caller keeps and counts it)', (_what, line) => {
    const result = parseLogLine(line, { now });
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('no parser recognised the line') });
  });

  it('refuses a line that is not the declared web format', () => {
    expect(parseLogLine('hello world', { now, format: 'apache-access' })).toEqual({ ok: false, reason: expect.stringContaining('not a apache log line') });
  });

  it('refuses a declared syslog line without a header, as syslog does', () => {
    expect(parseLogLine(accessLine, { now, format: 'syslog' }).ok).toBe(false);
  });

  it("gives a line of an unknown program the declared dataset, and keeps a recognised program's", () => {
    const firewall = parseLogLine('<134>Dec  2 10:15:01 fw01 kernel: IN=eth0 OUT= SRC=203.0.113.7', { now, timeZone: 'UTC', dataset: 'iptables.log' });
    expect(firewall.ok && firewall.event.event).toMatchObject({ dataset: 'iptables.log', module: 'iptables' });
    const sshd = parseLogLine(bsdLine, { now, timeZone: 'UTC', dataset: 'iptables.log' });
    expect(sshd.ok && sshd.event.event).toMatchObject({ dataset: 'linux.sshd' });
  });

  it('reads the lines of an old file in the years its order and reference time give them', () => {
    const lines = [
      `Dec 31 23:59:58 web01 sshd[1]: ${sshdMessage}`,
      '203.0.113.7 - - [01/Jan/2005:00:00:00 +0000] "GET / HTTP/1.1" 200 1',
      `Jan  1 00:00:03 web01 sshd[1]: ${sshdMessage}`,
    ];
    const references = lineReferenceTimes(lines, new Date('2005-03-01T00:00:00Z'), 'Europe/Copenhagen');
    const stamps = lines.map((line, i) => {
      const result = parseLogLine(line, { now: references[i], timeZone: 'Europe/Copenhagen' });
      return result.ok ? result.event['@timestamp'] : result.reason;
    });
    expect(stamps).toEqual(['2004-12-31T22:59:58.000Z', '2005-01-01T00:00:00.000Z', '2004-12-31T23:00:03.000Z']);
  });

  it("reads a syslog-wrapped line of a sender declared to send access logs as the web server's own line", () => {
    const wrapped = `<13>Dec  2 10:15:01 web01 weblog: ${accessLine}`;
    expect(parseLogLine(wrapped, { now, timeZone: 'UTC' })).toMatchObject({ ok: true, event: { event: { dataset: 'linux.syslog' } } });
    const declared = parseLogLine(wrapped, { now, timeZone: 'UTC', format: 'nginx-access' });
    expect(parseLogLine(wrapped.slice(4), { now, timeZone: 'UTC', format: 'nginx-access' })).toMatchObject({
      ok: true,
      event: { source: { ip: '198.51.100.9' }, host: { hostname: 'web01' } },
    });
    expect(declared).toMatchObject({
      ok: true,
      event: {
        event: { dataset: 'nginx.access', module: 'nginx', original: wrapped },
        source: { ip: '198.51.100.9' },
        url: { original: '/index.php?id=1%27%20OR%201%3D1' },
        host: { hostname: 'web01' },
        log: { syslog: { appname: 'weblog' } },
      },
    });
    const cron = parseLogLine('<78>Dec  2 10:15:01 web01 CRON[7]: (root) CMD (run-parts /etc/cron.hourly)', { now, timeZone: 'UTC', format: 'nginx-access' });
    expect(cron).toMatchObject({ ok: true, event: { event: { dataset: 'linux.cron' } } });
  });

  // fail2ban's selinux-ssh test log: auditd's own file line, no syslog header.
  const auditLine =
    'type=USER_AUTH msg=audit(1373129280.000:9): user pid=1277 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg=\'op=pubkey acct="root" exe="/usr/sbin/sshd" hostname=? addr=194.228.20.113 terminal=ssh res=failed\'';

  it("reads an audit record from auditd's file, and the same record forwarded by audisp-syslog", () => {
    const bare = parseLogLine(auditLine, { now });
    expect(bare).toMatchObject({
      ok: true,
      event: {
        '@timestamp': '2013-07-06T16:48:00.000Z',
        event: { dataset: 'linux.auditd', module: 'auditd', outcome: 'failure', original: auditLine },
        source: { ip: '194.228.20.113' },
        user: { name: 'root' },
      },
    });
    const forwarded = `<86>Jul  6 16:48:00 web01 audisp-syslog: ${auditLine}`;
    expect(parseLogLine(forwarded, { now, timeZone: 'UTC' })).toMatchObject({
      ok: true,
      event: {
        '@timestamp': '2013-07-06T16:48:00.000Z',
        event: { dataset: 'linux.auditd', category: ['authentication'], type: ['start'] },
        source: { ip: '194.228.20.113' },
        host: { hostname: 'web01' },
      },
    });
  });

  it('reads a Drupal watchdog line whatever the site named its syslog tag (fail2ban drupal-auth)', () => {
    const line =
      'Apr 26 13:20:01 mweb drupal_site[24864]: https://www.example.com|1613058599|user|192.0.2.7|https://www.example.com/en/user/login|https://www.example.com/en/user/login|0||Login attempt failed from Jack Sparrow.';
    expect(parsedFields(line)).toMatchObject({
      event: { dataset: 'linux.drupal', module: 'drupal', action: 'drupal_login_failed', outcome: 'failure' },
      source: { ip: '192.0.2.7' },
      user: { name: 'Jack Sparrow' },
    });
  });

  it('places a journal line without a timestamp at the reference time, tagged so; a message with its own time keeps it', () => {
    const sshd = parseLogLine('srv sshd[3719]: Failed password for root from 192.0.2.9 port 22 ssh2', { now, timeZone: 'Europe/Copenhagen' });
    expect(sshd).toMatchObject({
      ok: true,
      event: {
        '@timestamp': now.toISOString(),
        tags: ['timestamp_from_reference_time'],
        event: { dataset: 'linux.sshd', outcome: 'failure' },
        source: { ip: '192.0.2.9' },
        host: { hostname: 'srv' },
        process: { name: 'sshd', pid: 3719 },
      },
    });
    // fail2ban's nginx-http-auth journal section: nginx's own time is in the message.
    const nginx =
      'host nginx[983478]: 2023/12/09 21:35:20 [error] 983478#983478: *3 user "fakeusername" was not found in "/var/lib/nginx/htpasswd-for-host.example.com", client: 192.0.2.3, server: host.example.com, request: "GET / HTTP/2.0", host: "host.example.com"';
    const result = parseLogLine(nginx, { now, timeZone: 'UTC' });
    expect(result).toMatchObject({
      ok: true,
      event: {
        '@timestamp': '2023-12-09T21:35:20.000Z',
        event: { dataset: 'nginx.error', action: 'http_authentication', original: nginx },
        source: { ip: '192.0.2.3' },
      },
    });
    expect(result.ok && result.event.tags).toBeUndefined();
  });

  it('reads a header-less line the same way when the sender declared syslog or sshd', () => {
    const line = 'srv sshd[3719]: Invalid user oracle from 192.0.2.9 port 4242';
    for (const format of ['syslog', 'sshd'] as const) {
      expect(parseLogLine(line, { now, format })).toMatchObject({
        ok: true,
        event: { tags: ['timestamp_from_reference_time'], event: { action: 'ssh_invalid_user' }, source: { ip: '192.0.2.9' }, host: { hostname: 'srv' } },
      });
    }
  });

  it('does not take ordinary text for a header-less syslog line (the pid is required)', () => {
    expect(parseLogLine('Note: the backup finished', { now }).ok).toBe(false);
    expect(parseLogLine('host kernel: eth0 link up', { now }).ok).toBe(false);
  });
});
