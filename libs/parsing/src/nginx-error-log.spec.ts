import { parseNginxErrorLogLine } from './nginx-error-log';

describe(parseNginxErrorLogLine.name, () => {
  it('maps a basic-auth failure with the client address', () => {
    const line =
      '2012/04/09 11:53:29 [error] 2865#0: *66647 user "xyz" was not found in "/var/www/.htpasswd", client: 192.0.43.10, server: www.myhost.com, request: "GET / HTTP/1.1", host: "www.myhost.com"';
    expect(parseNginxErrorLogLine(line)).toEqual({
      ok: true,
      event: {
        '@timestamp': '2012-04-09T11:53:29.000Z',
        log: { level: 'error' },
        process: { pid: 2865 },
        source: { address: '192.0.43.10', ip: '192.0.43.10' },
        user: { name: 'xyz' },
        event: {
          module: 'nginx',
          dataset: 'nginx.error',
          timezone: 'UTC',
          category: ['authentication', 'web'],
          type: ['start'],
          outcome: 'failure',
          action: 'http_authentication',
          original: line,
        },
        message:
          'user "xyz" was not found in "/var/www/.htpasswd", client: 192.0.43.10, server: www.myhost.com, request: "GET / HTTP/1.1", host: "www.myhost.com"',
      },
    });
  });

  it('takes the last real client when a user name injects a fake one', () => {
    const result = parseNginxErrorLogLine(
      '2014/04/03 22:20:40 [error] 30708#0: *3 user "test": password mismatch, client: 127.0.0.1, server: test, request: "GET / HTTP/1.1", host: "localhost:8443"": was not found in "/etc/nginx/.htpasswd", client: 192.0.2.2, server: , request: "GET / HTTP/1.1", host: "localhost:8443"',
    );
    expect(result.ok && result.event.source?.ip).toBe('192.0.2.2');
  });

  it('maps PAM failures and TLS handshake errors', () => {
    const pam = parseNginxErrorLogLine(
      "2025/09/07 21:20:40 [error] 23141#23141: *24470 PAM: user 'username' - not authenticated: Authentication failure, client: 192.0.2.120, server: webdav",
    );
    expect(pam.ok && pam.event.user?.name).toBe('username');
    const tls = parseNginxErrorLogLine(
      '2020/11/25 14:42:16 [crit] 76952#76952: *2454307 SSL_do_handshake() failed (SSL: error) while SSL handshaking, client: 142.93.180.14, server: 0.0.0.0:443',
    );
    expect(tls.ok && tls.event).toMatchObject({
      source: { ip: '142.93.180.14' },
      log: { level: 'crit' },
      event: { category: ['network', 'web'], type: ['protocol', 'error'], outcome: 'failure', action: 'tls_handshake_failure' },
    });
  });

  // fail2ban's nginx-http-auth test log, fallback mode (gh-4142).
  it.each([
    '2025/07/09 19:20:38 [crit] 3075615#3075615: *2489 SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: 192.0.2.23, server: 0.0.0.0:443',
    '2025/07/09 22:27:36 [crit] 60993#60993: *16700609 SSL_read() failed (SSL: error:0A000461:SSL routines::reason(1121):SSL alert number 121) while waiting for request, client: 192.0.2.17, server: 0.0.0.0:443',
  ])('maps a failed TLS handshake or first record with the client: %s', (line) => {
    const result = parseNginxErrorLogLine(line);
    expect(result.ok && result.event).toMatchObject({
      event: { action: 'tls_handshake_failure', outcome: 'failure' },
      source: { ip: line.slice(line.indexOf('client: ') + 8, line.indexOf(', server')) },
    });
  });

  it('leaves an upstream failure and the basic-auth challenge without credentials uncounted', () => {
    const upstream = parseNginxErrorLogLine(
      '2020/11/25 16:02:45 [error] 76952#76952: *5645766 connect() failed (111: Connection refused) while connecting to upstream, client: 5.126.32.148, server: www.google.de, request: "GET /admin/config HTTP/2.0", upstream: "http://127.0.0.1:3000/admin/config", host: "www.google.de"',
    );
    expect(upstream.ok && upstream.event.event).toMatchObject({ category: ['web'], type: ['error'] });
    expect(upstream.ok && (upstream.event.event as { action?: string }).action).toBeUndefined();
    // Every browser's first request to a protected location: no credential was refused.
    const challenge = parseNginxErrorLogLine(
      '2024/03/01 10:00:00 [error] 12#12: *5 no user/password was provided for basic authentication, client: 198.51.100.4, server: intranet, request: "GET /admin HTTP/1.1", host: "intranet"',
    );
    expect(challenge.ok && challenge.event).toMatchObject({
      event: { category: ['authentication', 'web'], type: ['info'], action: 'http_authentication_challenge' },
      source: { ip: '198.51.100.4' },
    });
    expect(challenge.ok && (challenge.event.event as { outcome?: string }).outcome).toBeUndefined();
  });

  it.each([
    ['a line without the nginx header', 'nginx: something', "not an nginx error log line: expected 'yyyy/mm/dd hh:mm:ss [level] pid#tid: '"],
    ['an impossible date', '2015/02/30 10:56:10 [error] 1#0: x', "nginx error log time '2015/02/30 10:56:10' is out of range"],
  ])('rejects %s', (_case, line, reason) => {
    expect(parseNginxErrorLogLine(line)).toEqual({ ok: false, reason });
  });
});
