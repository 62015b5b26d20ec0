import { parseApacheErrorLogLine } from './apache-error-log';

describe(parseApacheErrorLogLine.name, () => {
  it('maps an Apache 2.4 basic-auth failure', () => {
    const line =
      '[Sat Jul 20 21:37:32.266605 2013] [auth_basic:error] [pid 17512:tid 140123079128832] [client 127.0.0.1:51386] AH01618: user alice not found: /basic/file';
    expect(parseApacheErrorLogLine(line, { timeZone: 'Europe/Copenhagen' })).toEqual({
      ok: true,
      event: {
        '@timestamp': '2013-07-20T19:37:32.266605Z',
        process: { pid: 17512 },
        source: { address: '127.0.0.1', ip: '127.0.0.1', port: 51386 },
        error: { code: 'AH01618' },
        user: { name: 'alice' },
        event: {
          module: 'apache',
          dataset: 'apache.error',
          timezone: 'Europe/Copenhagen',
          category: ['authentication', 'web'],
          type: ['start'],
          outcome: 'failure',
          action: 'http_authentication',
          original: line,
        },
        log: { level: 'error', logger: 'auth_basic' },
        message: 'AH01618: user alice not found: /basic/file',
      },
    });
  });

  it.each([
    [
      '[Wed Jul 17 22:18:52 2013] [error] [client 127.0.0.1] user username: authentication failure for "/basic/file": Password Mismatch',
      'http_authentication',
      'username',
    ],
    ["[Thu Jul 18 00:08:39 2013] [error] [client 127.0.0.1] Digest: user `username' in realm `private' not found: /digest/", 'http_authentication', 'username'],
    ['[Wed Jul 17 22:39:55 2013] [error] [client 127.0.0.1] client used wrong authentication scheme: /basic/file', 'http_authentication', undefined],
    ['[Wed Jul 17 23:20:45 2013] [error] [client 127.0.0.1] client denied by server configuration: /var/www/x', 'http_access_denied', undefined],
    [
      '[Wed Jul 17 22:54:32 2013] [error] [client 127.0.0.1] Authorization of user bob to access /x failed, reason: file owner dan does not match.',
      'http_access_denied',
      'bob',
    ],
    [
      '[Sat Jun 01 02:17:42 2013] [error] [client 192.168.33.1] File does not exist: /srv/http/site/[client 192.168.0.1] user root not found',
      undefined,
      undefined,
    ],
  ])('%s', (line, action, user) => {
    const result = parseApacheErrorLogLine(line);
    if (!result.ok) throw new Error(result.reason);
    expect((result.event.event as { action?: string }).action).toBe(action);
    expect(result.event.user?.name).toBe(user);
  });

  it('reads bracketed IPv6 clients, unbracketed ones without port, and `remote` (mod_remoteip)', () => {
    const client = (line: string) => {
      const result = parseApacheErrorLogLine(line);
      return result.ok ? result.event.source : result.reason;
    };
    expect(client('[Sat Jul 20 22:11:44 2013] [authz_owner:error] [pid 1] [client [2001:db8::80da:af6b:8b2c]:51548] AH01637: x')).toEqual({
      address: '2001:db8::80da:af6b:8b2c',
      ip: '2001:db8::80da:af6b:8b2c',
      port: 51548,
    });
    expect(client('[Thu Jul 11 01:21:44 2013] [error] [client 2001:db8::80da:af6b:8b2c] user test-ipv6 not found: /')).toEqual({
      address: '2001:db8::80da:af6b:8b2c',
      ip: '2001:db8::80da:af6b:8b2c',
    });
    expect(
      client('[Mon Nov 06 13:39:56.637868 2023] [auth_basic:error] [pid 3175001:tid 1] [remote 192.0.2.111:35924] AH01618: user whatever not found: /admin'),
    ).toEqual({ address: '192.0.2.111', ip: '192.0.2.111', port: 35924 });
  });

  it.each([
    ['an unclosed client', '[Thu Jul 11 01:21:44 2013] [error] [client [::1', "Apache error log client field is not closed by ']'"],
    ['an unclosed field', '[Thu Jul 11 01:21:44 2013] [error', "Apache error log field is not closed by ']'"],
    ['an impossible date', '[Thu Feb 30 01:21:44 2013] [error] x', "Apache error log time 'Thu Feb 30 01:21:44 2013' is not 'Www Mmm dd hh:mm:ss[.us] yyyy'"],
    ['no level', '[Thu Jul 11 01:21:44 2013] hello', 'not an Apache error log line: expected [level] after [time]'],
  ])('rejects %s', (_case, line, reason) => {
    expect(parseApacheErrorLogLine(line)).toEqual({ ok: false, reason });
  });
});
