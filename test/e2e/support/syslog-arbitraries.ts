import fc from 'fast-check';

/**
 * fast-check arbitraries for syslog input: RFC 5424 and RFC 3164 lines with real programs'
 * messages, CEF, and what breaks parsers (bad priorities, dates and structured data, NUL bytes,
 * invalid UTF-8, oversized lines, random bytes). Each message is a readable spec; `messageBytes`
 * builds it, so a shrunk counterexample is short.
 */

export type SyslogMessageSpec =
  | { kind: 'rfc5424'; pri: string; timestamp: string; host: string; app: string; sd: string; msg: string }
  | { kind: 'rfc3164'; pri: string; timestamp: string; host: string; tag: string; msg: string }
  | { kind: 'cef'; header: string; fields: string[]; extension: string }
  | { kind: 'bytes'; bytes: number[] }
  | { kind: 'oversized'; base: string; extraBytes: number; fill: string }
  | { kind: 'with-nul'; text: string; at: number };

const word = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9._-]{0,15}$/);
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const pri = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 191 }).map((p) => `<${p}>`) },
  { weight: 1, arbitrary: fc.constantFrom('<>', '<192>', '<9999999999>', '<-1>', '<38', '', '<0038>') },
);
/** Real programs' messages, with generated names and addresses. */
const programMessage = fc.oneof(
  fc.tuple(word, ipv4, fc.nat(65535)).map(([user, ip, port]) => `sshd[4242]: Failed password for ${user} from ${ip} port ${port} ssh2`),
  fc.tuple(word, ipv4).map(([user, ip]) => `sshd[4242]: Invalid user ${user} from ${ip}`),
  fc
    .tuple(word, ipv4)
    .map(([user, ip]) => `sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=${user}`),
  fc.tuple(ipv4, word).map(([ip, path]) => `${ip} - - [29/Nov/2026:10:00:00 +0100] "GET /${path} HTTP/1.1" 404 153 "-" "curl/8"`),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const sdParam = fc.tuple(word, fc.string({ maxLength: 12 })).map(([name, value]) => `${name}="${value.replace(/["\\\]]/g, (c) => `\\${c}`)}"`);
const structuredData = fc.oneof(
  fc.constant('-'),
  fc.tuple(word, fc.array(sdParam, { maxLength: 3 })).map(([id, params]) => `[${id}@32473 ${params.join(' ')}]`),
  fc.constantFrom('[', '[a', '[x="unterminated', '[x y="\\"]', '[]', `[x="${'\\'.repeat(41)}"]`),
);

const rfc5424: fc.Arbitrary<SyslogMessageSpec> = fc.record({
  kind: fc.constant('rfc5424' as const),
  pri,
  timestamp: fc.oneof(
    fc.date({ min: new Date('2026-11-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
    fc.constantFrom('-', '2026-13-99T99:99:99Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999999+14:00', 'yesterday'),
  ),
  host: fc.oneof(word, fc.constant('-')),
  app: fc.oneof(fc.constantFrom('sshd', 'sudo', 'nginx', 'CEF'), word),
  sd: structuredData,
  msg: programMessage,
});

const rfc3164: fc.Arbitrary<SyslogMessageSpec> = fc.record({
  kind: fc.constant('rfc3164' as const),
  pri,
  timestamp: fc.oneof(
    fc
      .tuple(fc.constantFrom('Jan', 'Feb', 'Nov', 'Dec'), fc.integer({ min: 1, max: 31 }), fc.nat(23), fc.nat(59))
      .map(([month, day, hour, minute]) => `${month} ${String(day).padStart(2, ' ')} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`),
    fc.constantFrom('Feb 30 10:00:00', 'Foo 1 00:00:00', '', 'Nov 28 25:61:61'),
  ),
  host: word,
  tag: fc.constantFrom('', 'sshd[1]:', 'su:', 'kernel:'),
  msg: programMessage,
});

const cefField = fc.oneof(
  word,
  fc.string({ maxLength: 10 }).map((s) => s.replace(/\|/g, '\\|')),
);
const cef: fc.Arbitrary<SyslogMessageSpec> = fc.record({
  kind: fc.constant('cef' as const),
  header: fc.constantFrom('', '<134>Nov 29 10:00:00 fw01 ', '<134>1 2026-11-29T10:00:00Z fw01 CEF - - - '),
  fields: fc.array(cefField, { minLength: 0, maxLength: 8 }),
  extension: fc.oneof(
    fc.tuple(ipv4, ipv4, fc.nat(65535), word).map(([src, dst, port, user]) => `src=${src} dst=${dst} dpt=${port} suser=${user} msg=a\\=b c\\\\d`),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('src=999.1.1.1', 'dpt=abc', 'rt=not-a-time', '=', 'a=b=c=d'),
  ),
});

export const syslogMessageSpec = (maxMessageBytes: number): fc.Arbitrary<SyslogMessageSpec> =>
  fc.oneof(
    { weight: 4, arbitrary: rfc5424 },
    { weight: 4, arbitrary: rfc3164 },
    { weight: 3, arbitrary: cef },
    { weight: 1, arbitrary: fc.array(fc.nat(255), { maxLength: 200 }).map((bytes) => ({ kind: 'bytes' as const, bytes })) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('oversized' as const),
        base: fc.constantFrom('<38>Nov 28 10:00:00 web01 sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2 ', '<38>1 - - - - - [x="'),
        extraBytes: fc.constantFrom(1, maxMessageBytes, 5 * maxMessageBytes),
        fill: fc.constantFrom('A', 'Å', '['),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('with-nul' as const), text: fc.string({ maxLength: 60 }), at: fc.nat() }) },
  );

/** The bytes of one message (without its frame). */
export function messageBytes(spec: SyslogMessageSpec, maxMessageBytes: number): Buffer {
  switch (spec.kind) {
    case 'rfc5424':
      return Buffer.from(`${spec.pri}1 ${spec.timestamp} ${spec.host} ${spec.app} - - ${spec.sd} ${spec.msg}`);
    case 'rfc3164':
      return Buffer.from(`${spec.pri}${spec.timestamp} ${spec.host} ${spec.tag} ${spec.msg}`);
    case 'cef':
      return Buffer.from(`${spec.header}CEF:0|${spec.fields.join('|')}|${spec.extension}`);
    case 'bytes':
      return Buffer.from(spec.bytes);
    case 'oversized': {
      const base = Buffer.from(spec.base);
      const fill = Buffer.from(spec.fill.repeat(Math.ceil((maxMessageBytes - base.length + spec.extraBytes) / Buffer.byteLength(spec.fill))));
      return Buffer.concat([base, fill]);
    }
    case 'with-nul': {
      const text = Buffer.from(`<38>Nov 28 10:00:00 web01 app: ${spec.text}`);
      const at = spec.at % (text.length + 1);
      return Buffer.concat([text.subarray(0, at), Buffer.from([0]), text.subarray(at)]);
    }
  }
}

/** How a TCP sender frames its messages (RFC 6587): one terminator per connection, or octet counting. */
export type TcpFraming = 'lf' | 'crlf' | 'nul' | 'octet-counting';
export const tcpFraming: fc.Arbitrary<TcpFraming> = fc.constantFrom('lf', 'crlf', 'nul', 'octet-counting');

export function framed(messages: Buffer[], framing: TcpFraming): Buffer {
  return Buffer.concat(
    messages.map((m) => {
      if (framing === 'octet-counting') return Buffer.concat([Buffer.from(`${m.length} `), m]);
      return Buffer.concat([m, Buffer.from(framing === 'lf' ? '\n' : framing === 'crlf' ? '\r\n' : '\0')]);
    }),
  );
}
