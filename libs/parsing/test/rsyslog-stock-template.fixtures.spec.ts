import type { InboundEvent } from '@soc/contracts';
import { parseSyslogLine } from '@soc/parsing';
import { readFail2banCases } from './fail2ban-cases';
import { eventFields } from './shared-data';

const now = new Date('2005-08-14T12:00:00Z');
const timeZone = 'Europe/Zurich';

type Loose = Record<string, any>;

/**
 * rsyslog's stock RFC 5424 template (`RSYSLOG_SyslogProtocol23Format`, "... %STRUCTURED-DATA% %msg%")
 * keeps the space that followed `sshd[pid]:` in the original line as the first character of MSG,
 * so a forwarder on defaults sends `... - -  Failed password ...` (two spaces). The program's
 * message must be found all the same, or every failed login from such a forwarder goes unseen.
 */
function asRsyslogStockRfc5424(event: InboundEvent): string {
  const e = event as Loose;
  const pri = e.log?.syslog?.priority ?? 13;
  const pid = e.process?.pid ?? '-';
  return `<${pri}>1 ${e['@timestamp']} ${e.host?.hostname ?? '-'} ${e.process?.name ?? '-'} ${pid} - -  ${e.message}`;
}

function extracted(event: InboundEvent) {
  const fields = eventFields(event);
  return { action: fields.action, outcome: fields.outcome, category: fields.category, sourceIp: event.source?.ip, user: event.user?.name };
}

describe('sshd lines forwarded with rsyslog’s stock RFC 5424 template (real fail2ban fixtures)', () => {
  const cases = readFail2banCases('sshd').filter((c) => /^[A-Z][a-z]{2} /.test(c.line));

  it('finds the fixture lines', () => {
    expect(cases.length).toBeGreaterThan(100);
  });

  it('extracts the same sshd fields as from the original line', () => {
    let compared = 0;
    for (const c of cases) {
      const original = parseSyslogLine(c.line, { now, timeZone });
      if (!original.ok || original.event.process?.name !== 'sshd' || eventFields(original.event).action === undefined) continue;
      const forwarded = parseSyslogLine(asRsyslogStockRfc5424(original.event), { now, timeZone });
      if (!forwarded.ok) throw new Error(`line ${c.lineNumber}: ${forwarded.reason}`);
      expect({ line: c.lineNumber, ...extracted(forwarded.event) }).toEqual({ line: c.lineNumber, ...extracted(original.event) });
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });
});
