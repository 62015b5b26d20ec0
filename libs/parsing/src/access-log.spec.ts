import { parseAccessLogLine } from './access-log';

describe(parseAccessLogLine.name, () => {
  it('maps a combined-format line', () => {
    const result = parseAccessLogLine(
      '83.149.9.216 - alice [17/May/2015:10:05:03 +0200] "GET /presentations/x.png?size=2 HTTP/1.1" 200 203023 "http://semicomplete.com/" "Mozilla/5.0"',
    );
    expect(result).toEqual({
      ok: true,
      event: {
        '@timestamp': '2015-05-17T08:05:03.000Z',
        source: { address: '83.149.9.216', ip: '83.149.9.216' },
        url: { original: '/presentations/x.png?size=2', decoded: '/presentations/x.png?size=2', path: '/presentations/x.png', query: 'size=2' },
        http: { request: { method: 'GET', referrer: 'http://semicomplete.com/' }, response: { status_code: 200, body: { bytes: 203023 } }, version: '1.1' },
        user_agent: { original: 'Mozilla/5.0' },
        user: { name: 'alice' },
        message:
          '83.149.9.216 - alice [17/May/2015:10:05:03 +0200] "GET /presentations/x.png?size=2 HTTP/1.1" 200 203023 "http://semicomplete.com/" "Mozilla/5.0"',
        event: {
          category: ['web'],
          type: ['access'],
          outcome: 'success',
          module: 'apache',
          dataset: 'apache.access',
          original:
            '83.149.9.216 - alice [17/May/2015:10:05:03 +0200] "GET /presentations/x.png?size=2 HTTP/1.1" 200 203023 "http://semicomplete.com/" "Mozilla/5.0"',
        },
      },
    });
  });

  it('reads the common format, a leading virtual host and nginx extra fields', () => {
    expect(parseAccessLogLine('1.2.3.4 - - [05/Mar/2007:14:39:21 +0100] "HEAD / HTTP/1.0" 404 -')).toMatchObject({
      ok: true,
      event: { http: { response: { status_code: 404 } }, event: { outcome: 'failure' } },
    });
    expect(
      parseAccessLogLine('www.sitename.com 192.0.2.222 - - [18/Aug/2024:21:08:39 +0100] "GET /f.jpg HTTP/1.1" 403 332 "-" "TrackBack/1.02"'),
    ).toMatchObject({
      ok: true,
      event: { source: { ip: '192.0.2.222' }, destination: { domain: 'www.sitename.com' }, url: { domain: 'www.sitename.com', path: '/f.jpg' } },
    });
    expect(parseAccessLogLine('12.34.56.78 - root [20/Jan/2015:19:53:28 +0100] "" 400 47 "-" "-" "-"', { server: 'nginx' })).toMatchObject({
      ok: true,
      event: { user: { name: 'root' }, event: { dataset: 'nginx.access' } },
    });
  });

  it('reads a client host name, an IPv6 client and a vhost with its port', () => {
    expect(parseAccessLogLine('crawler.example.net - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1')).toMatchObject({
      ok: true,
      event: { source: { domain: 'crawler.example.net' } },
    });
    expect(parseAccessLogLine('2001:db8::7 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1')).toMatchObject({
      ok: true,
      event: { source: { ip: '2001:db8::7' } },
    });
    expect(parseAccessLogLine('intranet.example.dk:443 192.0.2.8 - bob [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1')).toMatchObject({
      ok: true,
      event: { source: { ip: '192.0.2.8' }, user: { name: 'bob' }, destination: { domain: 'intranet.example.dk', address: 'intranet.example.dk:443' } },
    });
  });

  it('keeps a request it cannot split out of url and method, and unescapes quotes', () => {
    const result = parseAccessLogLine('7.8.9.10 - - [20/Jan/2015:01:17:07 +0100] "\\x16\\x03\\x01 \\"quoted\\" garbage here" 400 162 "-" "-"');
    expect(result.ok && result.event.url).toBeUndefined();
    expect(result.ok && (result.event.http as { request?: unknown }).request).toBeUndefined();
  });

  it.each([
    ['no time', '1.2.3.4 - -', "access log line has no ' [time]' field"],
    [
      'too few fields before the time',
      '1.2.3.4 - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1',
      'access log line must start with client, ident and user',
    ],
    [
      'a syslog header in front',
      '<14>Jun 15 07:58:00 host tag: 1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1',
      'access log line must start with client, ident and user (one word each), found 8 words',
    ],
    [
      'a user name of several words',
      '1.2.3.4 - john doe [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1',
      'access log line must start with client, ident and user (one word each), found 4 words',
    ],
    [
      'a client that is no address or host name',
      '<14>Jun - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1',
      "access log client '<14>Jun' is not an IP address or host name",
    ],
    ['an unclosed time', '1.2.3.4 - - [17/May/2015:10:05:03 +0000', "access log time is not closed by ']'"],
    ['a malformed time', '1.2.3.4 - - [2015-05-17 10:05:03] "GET / HTTP/1.1" 200 1', "access log time '2015-05-17 10:05:03' is not dd/Mon/yyyy:hh:mm:ss ±hhmm"],
    ['nothing after the time', '1.2.3.4 - - [17/May/2015:10:05:03 +0000]', 'access log line ends after the time'],
    ['an unquoted request', '1.2.3.4 - - [17/May/2015:10:05:03 +0000] GET / 200 1', 'access log request is not a quoted string'],
    ['a status that is not 3 digits', '1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" OK 1', "access log status 'OK' is not a 3-digit number"],
    ['a size that is not a number', '1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 big', "access log size 'big' is not a number or '-'"],
  ])('rejects %s', (_case, line, reason) => {
    expect(parseAccessLogLine(line)).toEqual({ ok: false, reason });
  });
});
