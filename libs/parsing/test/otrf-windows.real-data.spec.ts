import type { InboundEvent } from '@soc/contracts';
import { normaliseJsonRecord } from '@soc/parsing';
import { eventFields, isFailedAuthentication, readSharedLines, schemaIssues } from './shared-data';

/** OTRF Security-Datasets: Windows Security, System, PowerShell and Sysmon events as JSON lines. */

type WindowsRecord = Record<string, unknown>;
type Winlog = { channel?: string; event_id: string; event_data: Record<string, unknown> };

const files = ['purplesharp_ad_playbook_I_2020-10-22042947.filtered.json', 'cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json'];
const records: WindowsRecord[] = files.flatMap((file) => readSharedLines('otrf-security-datasets', file).map((line) => JSON.parse(line) as WindowsRecord));
const normalised = records.map((record) => ({ record, result: normaliseJsonRecord(record) }));
const events = normalised.flatMap(({ record, result }) => (result.ok ? [{ record, event: result.event }] : []));

const winlogOf = (event: InboundEvent): Winlog => event.winlog as Winlog;
const withId = (channel: string, id: number) => events.filter(({ record }) => record.Channel === channel && record.EventID === id);
const sysmon = 'Microsoft-Windows-Sysmon/Operational';

describe('OTRF Windows security datasets', () => {
  it('normalises all 5,690 records into schema-valid events', () => {
    expect(records).toHaveLength(5690);
    expect(normalised.filter(({ result }) => !result.ok)).toEqual([]);
    expect(events.map(({ event }) => schemaIssues(event)).filter((issues) => issues !== undefined)).toEqual([]);
  });

  it('keeps EventID, channel and every EventData field verbatim for Sigma rules', () => {
    const envelope = new Set([
      'EventID',
      'Channel',
      'Hostname',
      'SourceName',
      'Message',
      '@timestamp',
      '@version',
      'tags',
      'host',
      'port',
      'Keywords',
      'Severity',
      'SeverityValue',
      'EventType',
      'EventReceivedTime',
      'SourceModuleName',
      'SourceModuleType',
      'ExecutionProcessID',
      'ThreadID',
      'RecordNumber',
      'Task',
      'Opcode',
      'OpcodeValue',
      'ProviderGuid',
      'Version',
      'Category',
      'EventTime',
      'TimeCreated',
      'ActivityID',
    ]);
    const mismatches: string[] = [];
    for (const { record, event } of events) {
      const winlog = winlogOf(event);
      if (event.event?.code !== String(record.EventID) || winlog.event_id !== String(record.EventID)) mismatches.push(`EventID ${record.EventID}`);
      if (winlog.channel !== record.Channel) mismatches.push(`Channel ${record.Channel}`);
      for (const [key, value] of Object.entries(record)) {
        const expected = value === null ? null : String(value);
        if (!envelope.has(key) && winlog.event_data[key] !== expected) mismatches.push(`${record.EventID} ${key}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('sets module and dataset by channel: windows.security, windows.system, windows.sysmon_operational', () => {
    for (const { record, event } of events) {
      const { module, dataset } = eventFields(event);
      if (record.Channel === sysmon) expect({ module, dataset }).toEqual({ module: 'sysmon', dataset: 'windows.sysmon_operational' });
      else if (record.Channel === 'Security') expect({ module, dataset }).toEqual({ module: 'windows', dataset: 'windows.security' });
      else if (record.Channel === 'System') expect({ module, dataset }).toEqual({ module: 'windows', dataset: 'windows.system' });
    }
  });

  it('turns the 7 password-spray 4625s into failed authentications of the targeted users', () => {
    const failures = withId('Security', 4625);
    expect(failures).toHaveLength(7);
    for (const { record, event } of failures) {
      expect(isFailedAuthentication(event)).toBe(true);
      expect(event.event).toMatchObject({
        action: 'logon-failed',
        outcome: 'failure',
        reason: 'wrong password',
        provider: 'Microsoft-Windows-Security-Auditing',
      });
      expect(event.user).toEqual({ name: record.TargetUserName, domain: record.TargetDomainName });
      // IpAddress is '-' (LogonUser API on the workstation itself); the workstation name remains.
      expect(event.source).toEqual({ domain: 'WORKSTATION5' });
      expect(event.process).toMatchObject({ name: 'PurpleSharp.exe', pid: 0x1d60 });
      expect(event.host?.name).toBe('WORKSTATION5.theshire.local');
    }
    expect(new Set(failures.map(({ event }) => event.user?.name)).size).toBe(7);
    expect(withId('Security', 4776).filter(({ event }) => event.event?.outcome === 'failure')).toHaveLength(7);
  });

  it('maps 4624 logons to successful authentications with the logon source', () => {
    const logons = withId('Security', 4624);
    expect(logons).toHaveLength(49);
    for (const { record, event } of logons) {
      expect(event.event).toMatchObject({ category: ['authentication'], type: ['start'], outcome: 'success', action: 'logged-in' });
      expect(event.user?.name).toBe(record.TargetUserName);
      const address = record.IpAddress as string;
      if (address !== '-' && address !== undefined) expect(event.source?.ip).toBe(address.replace(/^::ffff:/, ''));
    }
  });

  it('reads Kerberos service tickets (4769) with the user principal split and the IPv4-mapped address unwrapped', () => {
    const tickets = withId('Security', 4769);
    expect(tickets).toHaveLength(17);
    const [first] = tickets;
    expect(first.event.user).toEqual({ name: 'pgustavo', domain: 'THESHIRE.LOCAL' });
    expect(first.event.source).toMatchObject({ ip: '172.18.39.5', port: 58185 });
    expect(first.event.event).toMatchObject({ action: 'kerberos-service-ticket-requested', outcome: 'success' });
    expect(winlogOf(first.event).event_data).toMatchObject({ ServiceName: 'sysmonsvc', TicketEncryptionType: '0x17' });
  });

  it('fills process fields from Sysmon process creation (event 1)', () => {
    const creations = [...withId(sysmon, 1)];
    expect(creations).toHaveLength(28);
    const purpleSharp = creations.find(({ record }) => record.Image === 'C:\\Users\\pgustavo\\Downloads\\PurpleSharp.exe');
    expect(purpleSharp?.event).toMatchObject({
      '@timestamp': '2020-10-22T08:29:52.016Z',
      event: { category: ['process'], type: ['start'], action: 'process-created' },
      process: {
        pid: 7520,
        name: 'PurpleSharp.exe',
        executable: 'C:\\Users\\pgustavo\\Downloads\\PurpleSharp.exe',
        command_line: 'PurpleSharp.exe  /t T1110.003,T1558.003,T1135,T1021.006',
        hash: { sha256: 'a58c5a337e855070a95ae012a2fe14ecc724c239f54ae597d822f373c57e5228' },
        parent: { name: 'cmd.exe', executable: 'C:\\Windows\\System32\\cmd.exe' },
      },
      user: { name: 'pgustavo', domain: 'THESHIRE' },
    });
    const psexec = creations.filter(({ record }) => String(record.CommandLine ?? '').includes('PsExec.exe'));
    expect(psexec.length).toBeGreaterThan(0);
  });

  it('maps Sysmon network connections (3) and DNS queries (22)', () => {
    const connections = withId(sysmon, 3);
    expect(connections.every(({ event }) => event.source?.ip !== undefined && event.destination?.ip !== undefined)).toBe(true);
    expect(connections[0].event).toMatchObject({
      source: { ip: '172.18.39.5', port: 51883 },
      destination: { ip: '172.18.38.5', port: 389 },
      network: { transport: 'udp' },
    });
    const queries = withId(sysmon, 22);
    expect(queries.every(({ record, event }) => event.dns?.question.name === record.QueryName)).toBe(true);
  });

  it('recognises the PsExec service installation (System 7045, Security 4697) and the cleared audit log (1102)', () => {
    const [service] = withId('System', 7045);
    expect(service.event.event).toMatchObject({ action: 'service-installed', category: ['configuration'], module: 'windows', dataset: 'windows.system' });
    expect(winlogOf(service.event).event_data).toMatchObject({ ServiceName: 'PSEXESVC', ImagePath: '%SystemRoot%\\PSEXESVC.exe' });
    // This capture has only the zone-less TimeCreated, read in the configured zone (UTC by default).
    expect(service.event['@timestamp']).toBe('2020-10-19T03:30:46.416Z');
    expect(service.event.event).toMatchObject({ timezone: 'UTC' });
    expect(withId('Security', 4697)[0].event.event).toMatchObject({ action: 'service-installed' });
    expect(withId('Security', 1102)[0].event.event).toMatchObject({ action: 'audit-log-cleared' });
  });
});
