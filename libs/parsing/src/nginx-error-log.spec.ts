import { parseNginxErrorLogLine } from './nginx-error-log';

describe(parseNginxErrorLogLine.name, () => {
  it('maps a basic-auth failure with the client address', () => {
    const line = '2012/04/09 11:53:29 [error] 2865#0: *66647 user "xyz" was not found in "/var/www/.htpasswd", client: 192.0.43.10, server: www.myhost.com, request: "GET / HTTP/1.1", host: "www.myhost.com"';
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
        message: 'user "xyz" was not found in "/var/www/.htpasswd", client: 192.0.43.10, server: www.myhost.com, request: "GET / HTTP/1.1", host: "www.myhost.com"',
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
    const pam = parseNginxErrorLogLine("2025/09/07 21:20:40 [error] 23141#23141: *24470 PAM: user 'username' - not authenticated: Authentication failure, client: 192.0.2.120, server: webdav");
    expect(pam.ok && pam.event.user?.name).toBe('username');
    const tls = parseNginxErrorLogLine('2020/11/25 14:42:16 [crit] 76952#76952: *2454307 SSL_do_handshake() failed (SSL: error) while SSL handshaking, client: 142.93.180.14, server: 0.0.0.0:443');
    expect(tls.ok && tls.event).toMatchObject({ source: { ip: '142.93.180.14' }, log: { level: 'crit' }, event: { type: ['error'], outcome: 'failure' } });
  });

  it.each([
    ['a line without the nginx header', 'nginx: something', "not an nginx error log line: expected 'yyyy/mm/dd hh:mm:ss [level] pid#tid: '"],
    ['an impossible date', '2015/02/30 10:56:10 [error] 1#0: x', "nginx error log time '2015/02/30 10:56:10' is out of range"],
  ])('rejects %s', (_case, line, reason) => {
    expect(parseNginxErrorLogLine(line)).toEqual({ ok: false, reason });
  });
});
