import { detectionFields, nxlog4625, winlogbeat4625 } from '../test/windows-4625-records.testing';
import { parseEventBody, type EventBodyFormat } from './event-body';

const now = new Date('2026-12-02T12:00:00Z');
const sshdLine = 'Dec  2 10:15:01 web01 sshd[4121]: Failed password for invalid user admin from 203.0.113.7 port 52113 ssh2';
const accessLine = '198.51.100.9 - - [02/Dec/2026:10:15:01 +0000] "GET /a.php?f=..%252f..%252fetc%252fpasswd HTTP/1.1" 404 196 "-" "curl/8"';

const as = (format: EventBodyFormat['format'] = 'auto', plainText = false): EventBodyFormat => ({ format, now, timeZone: 'UTC', plainText });

function events(body: string, format: EventBodyFormat) {
  const result = parseEventBody(body, undefined, format);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result;
}

/** What a rule reads of an sshd event: not the transport's header fields or the text as sent. */
function sshdFields(event: Record<string, unknown>) {
  const { log: _log, tags: _tags, event: meta, ...rest } = event as Record<string, unknown> & { event: Record<string, unknown> };
  const { original: _original, ...fields } = meta;
  return { ...rest, event: fields };
}

describe('parseEventBody in a format', () => {
  describe('raw lines', () => {
    it('gives one sshd line the same event as a JSON message, as event.original and as a text/plain line', () => {
      const asMessage = events(JSON.stringify({ message: sshdLine }), as()).events[0];
      const asOriginal = events(JSON.stringify({ event: { original: sshdLine } }), as()).events[0];
      const asDotted = events(JSON.stringify({ 'event.original': sshdLine }), as()).events[0];
      const asText = events(`${sshdLine}\n`, as('auto', true)).events[0];
      expect(asMessage).toMatchObject({
        '@timestamp': '2026-12-02T10:15:01.000Z',
        event: { dataset: 'linux.sshd', outcome: 'failure' },
        source: { ip: '203.0.113.7' },
        user: { name: 'admin' },
      });
      for (const other of [asOriginal, asDotted, asText]) expect(sshdFields(other)).toEqual(sshdFields(asMessage));
    });

    it('keeps what a Filebeat-like forwarder added beside the line, the parsed line winning', () => {
      const record = {
        '@timestamp': '2026-12-02T11:59:59.000Z',
        message: sshdLine,
        host: { name: 'web01.kommune.dk' },
        log: { file: { path: '/var/log/auth.log' } },
        agent: { type: 'filebeat' },
      };
      const [event] = events(JSON.stringify(record), as()).events;
      expect(event).toMatchObject({
        '@timestamp': '2026-12-02T10:15:01.000Z',
        host: { name: 'web01.kommune.dk', hostname: 'web01' },
        log: { file: { path: '/var/log/auth.log' } },
        agent: { type: 'filebeat' },
        source: { ip: '203.0.113.7' },
      });
    });

    it('reads each text/plain line on its own: bare access-log lines, sshd lines and JSON records', () => {
      const body = [accessLine, sshdLine, '', JSON.stringify({ event: { dataset: 'fortinet.firewall' }, source: { ip: '192.0.2.1' } })].join('\r\n');
      const result = events(body, as('auto', true));
      expect(result.unparsed).toBe(0);
      expect(result.events.map((e) => e.event?.dataset)).toEqual(['apache.access', 'linux.sshd', 'fortinet.firewall']);
      expect(result.events[0]).toMatchObject({ url: { decoded: '/a.php?f=../../etc/passwd' } });
    });

    it('keeps a line no parser recognises, tagged and counted unparsed', () => {
      const result = events('this is no log format\n', as('auto', true));
      expect(result.unparsed).toBe(1);
      expect(result.events).toEqual([{ message: 'this is no log format', event: { original: 'this is no log format' }, tags: ['unparsed'] }]);
      const json = events(JSON.stringify({ message: 'nor is this', tags: ['from-vector'] }), as());
      expect(json).toMatchObject({ unparsed: 1, events: [{ message: 'nor is this', tags: ['from-vector', 'unparsed'] }] });
    });

    it('leaves an event that names its dataset alone in auto, and parses its message when the format is declared', () => {
      const record = JSON.stringify({ event: { dataset: 'custom.app' }, message: sshdLine });
      expect(events(record, as()).events[0]).toEqual({ event: { dataset: 'custom.app' }, message: sshdLine });
      expect(events(record, as('sshd')).events[0]).toMatchObject({ event: { dataset: 'linux.sshd' }, source: { ip: '203.0.113.7' } });
      expect(events(JSON.stringify({ message: sshdLine }), as('ecs')).events[0]).toEqual({ message: sshdLine });
    });

    it('reads a declared format in every text/plain line', () => {
      const result = events(`${accessLine}\n`, as('nginx-access', true));
      expect(result.events[0].event).toMatchObject({ dataset: 'nginx.access' });
      expect(parseEventBody('{"a":1}\nplain line', undefined, as('ecs', true))).toEqual({
        ok: false,
        problems: [{ line: 2, path: '(line)', message: 'invalid JSON: format ecs sends JSON records' }],
      });
    });

    it("reads year-less lines in the years the body's order and reference time give them, in every shape of line", () => {
      const failure = 'web01 sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2';
      const file = [`Dec 31 23:59:58 ${failure}`, `Jan  1 00:00:03 ${failure}`];
      const reference = { ...as('auto', true), now: new Date('2005-02-01T00:00:00Z') };
      const stamps = (body: string, format: EventBodyFormat) => events(body, format).events.map((event) => event['@timestamp']);
      const expected = ['2004-12-31T23:59:58.000Z', '2005-01-01T00:00:03.000Z'];
      expect(stamps(file.join('\n'), reference)).toEqual(expected);
      expect(stamps(file.map((message) => JSON.stringify({ message })).join('\n'), { ...reference, plainText: false })).toEqual(expected);
      expect(stamps(JSON.stringify(file.map((line) => ({ 'event.original': line }))), { ...reference, plainText: false })).toEqual(expected);
      // Read alone, a June line sent in August is this year's; followed by a March line it is last year's.
      const juneToMarch = [`Jun  1 12:00:00 ${failure}`, `Mar  1 12:00:00 ${failure}`];
      expect(stamps(juneToMarch.join('\n'), { ...reference, now: new Date('2026-08-15T00:00:00Z') })).toEqual([
        '2025-06-01T12:00:00.000Z',
        '2026-03-01T12:00:00.000Z',
      ]);
      expect(stamps(juneToMarch[0], { ...reference, now: new Date('2026-08-15T00:00:00Z') })).toEqual(['2026-06-01T12:00:00.000Z']);
    });

    it('refuses a raw line over the event size limit, naming the line', () => {
      const result = parseEventBody(`ok line\n${'x'.repeat(2000)}\n`, { maxDepth: 20, maxFields: 1000, maxBytes: 1024 }, as('auto', true));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problems[0]).toMatchObject({ line: 2 });
    });

    it('still refuses a parsed line whose fields break the contract (the door is the same)', () => {
      const forged = JSON.stringify({ message: sshdLine, source: { port: 'not a port' } });
      expect(parseEventBody(forged, undefined, as()).ok).toBe(true); // the parser's source.port wins
      const wrongType = JSON.stringify({ message: 'unparseable', source: { ip: 'not an address' } });
      expect(parseEventBody(wrongType, undefined, as()).ok).toBe(false);
    });
  });

  describe('Windows JSON', () => {
    const failure = { address: '198.51.100.23', time: '2026-12-02T10:15:01.000Z' };

    it('maps NXLog and Winlogbeat shapes of one 4625 to the same detection fields', () => {
      const [fromNxlog] = events(JSON.stringify(nxlog4625(failure)), as()).events;
      const [fromWinlogbeat] = events(JSON.stringify(winlogbeat4625(failure)), as()).events;
      expect(detectionFields(fromNxlog)).toEqual(detectionFields(fromWinlogbeat));
      expect(fromNxlog).toMatchObject({
        '@timestamp': '2026-12-02T10:15:01.000Z',
        event: { code: '4625', dataset: 'windows.security', module: 'windows', outcome: 'failure' },
        source: { ip: '198.51.100.23' },
        user: { name: 'lrodriguez' },
        winlog: { channel: 'Security', event_id: '4625', event_data: { IpAddress: '198.51.100.23', LogonType: '3' } },
      });
    });

    it('reads a Windows record sent as a text/plain JSON line, or declared windows-json', () => {
      const [plain] = events(JSON.stringify(nxlog4625(failure)), as('auto', true)).events;
      const [declared] = events(JSON.stringify(nxlog4625(failure)), as('windows-json')).events;
      expect(detectionFields(plain)).toEqual(detectionFields(declared));
      expect(declared.event).toMatchObject({ dataset: 'windows.security' });
    });

    it('keeps a record declared windows-json that is not one, tagged unparsed', () => {
      const result = events(JSON.stringify({ message: 'not windows' }), as('windows-json'));
      expect(result).toMatchObject({ unparsed: 1, events: [{ message: 'not windows', tags: ['unparsed'] }] });
    });
  });

  describe('web events sent as ECS JSON', () => {
    it('get url.decoded like parsed ones, in every format that keeps them as sent', () => {
      const record = JSON.stringify({ event: { dataset: 'apache.access' }, url: { original: '/x?q=%3Cscript%3E' } });
      for (const format of [as(), as('ecs')]) expect(events(record, format).events[0].url).toEqual({ original: '/x?q=%3Cscript%3E', decoded: '/x?q=<script>' });
    });

    it('leave a url.decoded the forwarder set', () => {
      const record = JSON.stringify({ event: { dataset: 'apache.access' }, url: { original: '/%41', decoded: '/A!' } });
      expect(events(record, as()).events[0].url).toEqual({ original: '/%41', decoded: '/A!' });
    });
  });
});
