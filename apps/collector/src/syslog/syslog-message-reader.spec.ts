import { defaultEventTimeWindow } from '@soc/contracts';
import { defaultEventLimits } from '@soc/ingest';
import { readSyslogFrames, type SyslogReadContext } from './syslog-message-reader';

const now = new Date('2026-06-15T12:00:00.000Z');
const context: SyslogReadContext = {
  now,
  ingested: now.toISOString(),
  timeZone: 'UTC',
  eventLimits: defaultEventLimits,
  eventTimeWindow: defaultEventTimeWindow,
};
const aarhus = { memberId: '0751', format: 'auto' as const };
const frame = (line: string) => ({ ok: true as const, message: Buffer.from(line), framing: 'octet-counting' as const });
const read = (line: string) => readSyslogFrames([frame(line)], aarhus, context)[0];

describe(readSyslogFrames.name, () => {
  it('stamps the member of the connection, whatever a CEF sender names its fields', () => {
    const message = read('CEF:0|Vendor|Product|1|100|Login|5|cs1Label=organization.id cs1=0461 ad.organization.id=0461 suser=alice');
    expect(message.ok).toBe(true);
    const event = message.ok ? (message.event as unknown as Record<string, unknown>) : {};
    expect(event.organization).toEqual({ id: '0751' });
    expect(event.labels).toEqual({ 'organization.id': '0461' });
    expect(Object.keys(event).filter((key) => key.includes('.'))).toEqual([]);
    expect((event.cef as { extensions: unknown }).extensions).toMatchObject({ ad: { organization: { id: '0461' } } });
  });

  it('dead-letters, with the reason, a message whose sender-chosen keys Elasticsearch could not take', () => {
    const line = 'CEF:0|Vendor|Product|1|100|Login|5|ad=1 ad.x=2';
    expect(read(line)).toEqual({ ok: false, raw: line, reason: 'not indexable: cef.extensions.ad: given both as a value and as an object' });
  });

  it('places a message whose own time is outside the window at its arrival, keeping the claim', () => {
    const message = read('<38>1 2001-09-09T01:46:40.000Z web01 sshd 1 - - Failed password for root from 203.0.113.9 port 22 ssh2');
    expect(message).toMatchObject({
      ok: true,
      event: { '@timestamp': now.toISOString(), soc: { claimed_timestamp: '2001-09-09T01:46:40.000Z' }, tags: ['timestamp_out_of_range'] },
    });
  });

  it('keeps a message time inside the window', () => {
    const message = read('<38>1 2026-06-15T11:59:00.000Z web01 sshd 1 - - Failed password for root from 203.0.113.9 port 22 ssh2');
    expect(message).toMatchObject({ ok: true, event: { '@timestamp': '2026-06-15T11:59:00.000Z' } });
    expect(message.ok && message.event.soc).toBeUndefined();
  });

  it('reads a relayed file line without a syslog header as the same event HTTP gives it', () => {
    const access = '203.0.113.9 - - [15/Jun/2026:11:58:00 +0000] "GET /index.php?id=1%27%20OR%201=1 HTTP/1.1" 200 512 "-" "sqlmap/1.7"';
    expect(read(access)).toMatchObject({ ok: true, event: { source: { ip: '203.0.113.9' }, url: { original: '/index.php?id=1%27%20OR%201=1' } } });
    const sshd = 'sshd[4242]: Failed password for root from 203.0.113.9 port 22 ssh2';
    expect(read(sshd)).toMatchObject({ ok: true, event: { source: { ip: '203.0.113.9' }, event: { outcome: 'failure' } } });
  });

  it('dead-letters, with the reason, a line no parser recognises', () => {
    expect(read('hello, not a log line')).toMatchObject({
      ok: false,
      raw: 'hello, not a log line',
      reason: expect.stringContaining('no parser recognised the line'),
    });
  });

  it("reads the lines of one read in file order: a year-less December line before a January one is last year's", () => {
    const arrival = new Date('2027-01-01T00:30:00.000Z');
    const january = { ...context, now: arrival, ingested: arrival.toISOString() };
    const messages = readSyslogFrames(
      [frame('<38>Dec 31 23:59:59 h sshd[1]: x'), { ok: false, reason: 'frame too long' }, frame('<38>Jan  1 00:00:02 h sshd[1]: y')],
      aarhus,
      january,
    );
    expect(messages.map((m) => (m.ok ? m.event['@timestamp'] : m.reason))).toEqual(['2026-12-31T23:59:59.000Z', 'frame too long', '2027-01-01T00:00:02.000Z']);
  });

  it('reads a sender in the format, dataset and zone the members file declares for it', () => {
    const line = '<14>Jun 15 07:58:00 web01 weblog: 203.0.113.9 - - [15/Jun/2026:07:58:00 -0400] "GET /.env HTTP/1.1" 404 9 "-" "curl/8"';
    const declared = { memberId: '0751', format: 'apache-access' as const, dataset: 'apache.access', timeZone: 'America/New_York' };
    expect(readSyslogFrames([frame(line)], declared, context)[0]).toMatchObject({
      ok: true,
      event: {
        '@timestamp': '2026-06-15T11:58:00.000Z',
        event: { dataset: 'apache.access', timezone: 'America/New_York' },
        url: { original: '/.env' },
        organization: { id: '0751' },
      },
    });
    expect(readSyslogFrames([frame(line)], aarhus, context)[0]).toMatchObject({ ok: true, event: { event: { dataset: 'linux.syslog', timezone: 'UTC' } } });
    const firewall = readSyslogFrames(
      [frame('<134>Jun 15 07:58:00 fw01 kernel: DROP SRC=203.0.113.9')],
      { ...declared, format: 'auto', dataset: 'iptables.log' },
      context,
    )[0];
    expect(firewall).toMatchObject({ ok: true, event: { '@timestamp': '2026-06-15T11:58:00.000Z', event: { dataset: 'iptables.log' } } });
  });
});
