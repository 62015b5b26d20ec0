import type { InboundEvent } from '@soc/contracts';
import { normaliseWindowsEvent, windowsChannelDataset, type WindowsEventRecord } from './windows-event';

function normalise(record: WindowsEventRecord, timeZone?: string): InboundEvent {
  const result = normaliseWindowsEvent(record, { timeZone });
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}

const security = { Channel: 'Security', SourceName: 'Microsoft-Windows-Security-Auditing', Hostname: 'DC01.example.local' };

describe(normaliseWindowsEvent.name, () => {
  it('maps a failed network logon (4625) with reason, source and target user', () => {
    const event = normalise({
      ...security,
      EventID: 4625,
      '@timestamp': '2024-05-01T10:00:00.000Z',
      EventType: 'AUDIT_FAILURE',
      SubjectUserName: '-',
      TargetUserName: 'Administrator',
      TargetDomainName: 'EXAMPLE',
      Status: '0xc000006d',
      SubStatus: '0xc000006a',
      LogonType: '3',
      IpAddress: '203.0.113.7',
      IpPort: '50311',
      WorkstationName: 'KALI',
    });
    expect(event).toMatchObject({
      '@timestamp': '2024-05-01T10:00:00.000Z',
      event: {
        code: '4625',
        provider: 'Microsoft-Windows-Security-Auditing',
        module: 'windows',
        dataset: 'windows.security',
        category: ['authentication'],
        type: ['start'],
        outcome: 'failure',
        action: 'logon-failed',
        reason: 'wrong password',
      },
      host: { name: 'DC01.example.local' },
      user: { name: 'Administrator', domain: 'EXAMPLE' },
      source: { ip: '203.0.113.7', port: 50311, domain: 'KALI' },
      winlog: {
        channel: 'Security',
        event_id: '4625',
        provider_name: 'Microsoft-Windows-Security-Auditing',
        event_data: { LogonType: '3', SubStatus: '0xc000006a', IpAddress: '203.0.113.7', SubjectUserName: '-' },
      },
      related: { user: ['Administrator'] },
    });
  });

  it('keeps loopback addresses (they are real) and drops the "-" placeholder', () => {
    expect(normalise({ ...security, EventID: 4624, IpAddress: '::1', IpPort: '0' }).source).toEqual({ address: '::1', ip: '::1' });
    expect(normalise({ ...security, EventID: 4624, IpAddress: '-', IpPort: '-' }).source).toBeUndefined();
  });

  it('maps explicit credentials (4648) to the acting user, the used account and the target server', () => {
    const event = normalise({
      ...security,
      EventID: 4648,
      SubjectUserName: 'xodih',
      SubjectDomainName: 'WS',
      TargetUserName: 'testuser',
      TargetDomainName: 'ws',
      TargetServerName: 'localhost',
      IpAddress: '-',
    });
    expect(event.user).toEqual({ name: 'xodih', domain: 'WS', effective: { name: 'testuser', domain: 'ws' } });
    expect(event.destination).toEqual({ domain: 'localhost' });
    expect(event.event).toMatchObject({ action: 'logged-in-explicit', category: ['authentication'] });
  });

  it('derives Kerberos outcomes from Status and reads AS-REQ pre-authentication failures (4768, 4771)', () => {
    expect(normalise({ ...security, EventID: 4768, TargetUserName: 'alice', Status: '0x0' }).event).toMatchObject({
      outcome: 'success',
      action: 'kerberos-authentication-ticket-requested',
    });
    expect(normalise({ ...security, EventID: 4768, TargetUserName: 'alice', Status: '0x6' }).event).toMatchObject({
      outcome: 'failure',
      reason: 'Kerberos client not found (unknown user name)',
    });
    expect(normalise({ ...security, EventID: 4771, TargetUserName: 'alice', Status: '0x18', IpAddress: '::ffff:10.0.0.9' })).toMatchObject({
      event: { outcome: 'failure', action: 'kerberos-preauth-failed', reason: 'Kerberos pre-authentication failed (wrong password)' },
      source: { ip: '10.0.0.9' },
    });
  });

  it('maps account creation (4720) and special privileges (4672) to iam', () => {
    expect(
      normalise({ ...security, EventID: 4720, SubjectUserName: 'admin', SubjectDomainName: 'EX', TargetUserName: 'backdoor', TargetDomainName: 'EX' }),
    ).toMatchObject({
      event: { category: ['iam'], type: ['user', 'creation'], action: 'added-user-account' },
      user: { name: 'admin', domain: 'EX', target: { name: 'backdoor', domain: 'EX' } },
    });
    expect(normalise({ ...security, EventID: 4672, SubjectUserName: 'admin' })).toMatchObject({
      event: { category: ['iam'], type: ['admin'] },
      user: { name: 'admin' },
    });
  });

  it('reads the outcome from EVTX keywords when there is no EventType', () => {
    expect(normalise({ ...security, EventID: 4648, Keywords: '0x8020000000000000' }).event?.outcome).toBe('success');
    expect(normalise({ ...security, EventID: 4624, Keywords: '0x8010000000000000' }).event?.outcome).toBe('failure');
  });

  it('maps a service installation (System 7045)', () => {
    expect(
      normalise(
        { Channel: 'System', SourceName: 'Service Control Manager', EventID: 7045, ServiceName: 'PSEXESVC', TimeCreated: '2020-10-19 03:30:46.416' },
        'Europe/Copenhagen',
      ),
    ).toMatchObject({
      '@timestamp': '2020-10-19T01:30:46.416Z',
      event: { module: 'windows', dataset: 'windows.system', action: 'service-installed', timezone: 'Europe/Copenhagen' },
      winlog: { event_data: { ServiceName: 'PSEXESVC' } },
    });
  });

  it('maps Sysmon process creation (1) with hashes, parent and the DOMAIN\\user account', () => {
    const event = normalise({
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      EventID: 1,
      UtcTime: '2020-10-22 08:29:52.016',
      ProcessId: '7520',
      ProcessGuid: '{313fa531-4300-5f91-ae04-000000000400}',
      Image: 'C:\\Tools\\PsExec.exe',
      CommandLine: 'PsExec.exe -s cmd',
      CurrentDirectory: 'C:\\Tools\\',
      User: 'EXAMPLE\\alice',
      Hashes: 'SHA1=38733789E468C23C5172D18BD24EE0A84176CF9D,MD5=1DDCFC208163EDFA63347D54B67AC30C,IMPHASH=F34D5F2D4577ED6D9CEEC516C1F5A744',
      ParentImage: 'C:\\Windows\\System32\\cmd.exe',
      ParentProcessId: '5776',
      ParentCommandLine: 'cmd.exe',
      OriginalFileName: 'psexec.c',
    });
    expect(event).toMatchObject({
      '@timestamp': '2020-10-22T08:29:52.016Z',
      event: { module: 'sysmon', dataset: 'windows.sysmon_operational', category: ['process'], type: ['start'], action: 'process-created' },
      user: { name: 'alice', domain: 'EXAMPLE' },
      process: {
        pid: 7520,
        entity_id: '{313fa531-4300-5f91-ae04-000000000400}',
        executable: 'C:\\Tools\\PsExec.exe',
        name: 'PsExec.exe',
        command_line: 'PsExec.exe -s cmd',
        working_directory: 'C:\\Tools\\',
        hash: { sha1: '38733789e468c23c5172d18bd24ee0a84176cf9d', md5: '1ddcfc208163edfa63347d54b67ac30c' },
        pe: { imphash: 'f34d5f2d4577ed6d9ceec516c1f5a744', original_file_name: 'psexec.c' },
        parent: { executable: 'C:\\Windows\\System32\\cmd.exe', name: 'cmd.exe', pid: 5776, command_line: 'cmd.exe' },
      },
    });
  });

  it('maps Sysmon network connections (3), file creation (11) and DNS queries (22)', () => {
    const sysmon = { Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'C:\\x\\a.exe', ProcessId: '1' };
    expect(
      normalise({
        ...sysmon,
        EventID: 3,
        SourceIp: '10.0.0.2',
        SourcePort: '50000',
        DestinationIp: '198.51.100.1',
        DestinationPort: '443',
        DestinationHostname: 'evil.example',
        Protocol: 'tcp',
      }),
    ).toMatchObject({
      source: { ip: '10.0.0.2', port: 50000 },
      destination: { ip: '198.51.100.1', port: 443, domain: 'evil.example' },
      network: { transport: 'tcp' },
    });
    expect(normalise({ ...sysmon, EventID: 11, TargetFilename: 'C:\\Temp\\drop.dll' }).file).toEqual({ path: 'C:\\Temp\\drop.dll', name: 'drop.dll' });
    expect(normalise({ ...sysmon, EventID: 22, QueryName: 'evil.example' }).dns).toEqual({ question: { name: 'evil.example' } });
  });

  it('gives other channels a dataset derived from the channel name', () => {
    expect(normalise({ Channel: 'Microsoft-Windows-WMI-Activity/Operational', EventID: 5857 }).event).toMatchObject({
      module: 'windows',
      dataset: 'windows.microsoft_windows_wmi_activity_operational',
      code: '5857',
    });
  });

  it("names a channel's dataset as the parser stamps it (windowsChannelDataset)", () => {
    expect(windowsChannelDataset('Microsoft-Windows-PowerShell/Operational')).toBe('windows.powershell_operational');
    expect(windowsChannelDataset('Windows PowerShell')).toBe('windows.powershell');
    expect(windowsChannelDataset('Microsoft-Windows-Windows Firewall With Advanced Security/Firewall')).toBe(
      'windows.microsoft_windows_windows_firewall_with_advanced_security_firewall',
    );
    const record = { Channel: 'Microsoft-Windows-CodeIntegrity/Operational', EventID: 3033 };
    expect(normalise(record).event?.dataset).toBe(windowsChannelDataset(record.Channel));
  });

  it("keeps Sysmon's EventType as event data, but not NXLog's EventType (the event's level or audit result)", () => {
    const sysmon = { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 12, EventType: 'CreateKey', TargetObject: 'HKLM\\SOFTWARE\\x' };
    expect((normalise(sysmon).winlog as { event_data: Record<string, unknown> }).event_data.EventType).toBe('CreateKey');
    const nxlog = { ...security, EventID: 4624, EventType: 'AUDIT_SUCCESS' };
    expect((normalise(nxlog).winlog as { event_data: Record<string, unknown> }).event_data.EventType).toBeUndefined();
    expect(normalise(nxlog).event?.outcome).toBe('success');
  });

  it('does not look input up in Object.prototype (status codes, protocol numbers)', () => {
    const event = normalise({ ...security, EventID: 4625, SubStatus: 'constructor', EventType: 'AUDIT_FAILURE' });
    expect(event.event?.reason).toBe('status constructor');
    expect(normalise({ ...security, EventID: 5156, Protocol: 'constructor', SourceAddress: '10.0.0.1' }).network).toBeUndefined();
  });

  it('stores an EventData field named __proto__ as data', () => {
    const record = JSON.parse('{"Channel":"Security","EventID":4624,"__proto__":{"polluted":"yes"}}') as WindowsEventRecord;
    const eventData = (normalise(record).winlog as { event_data: Record<string, unknown> }).event_data;
    expect(Object.keys(eventData)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([[{ Channel: 'Security' }], [{ Channel: 'Security', EventID: 70000 }], [{ Channel: 'Security', EventID: 'four' }]])(
    'rejects a record without a valid EventID: %j',
    (record) => {
      expect(normaliseWindowsEvent(record)).toEqual({ ok: false, reason: 'Windows event EventID must be an integer 0..65535' });
    },
  );
});
