import { resolveField } from './field-mapping';
import { compileOrThrow, detectionRule, ecsEvent, matches } from './testing/rules';
import { collectorEvents } from './testing/sigmahq';

const sysmonEvent = (code: string, data: Record<string, string>) =>
  ecsEvent({
    event: { code, dataset: 'windows.sysmon_operational' },
    winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_data: data },
  });

describe('Windows category log sources', () => {
  const rule = (category: string) =>
    compileOrThrow(detectionRule("selection:\n    TargetObject|contains: '\\\\Run\\\\'\ncondition: selection", `product: windows\n    category: ${category}`));
  const key = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\x';

  it("splits Sysmon's EventID 12 by EventType: registry_add is CreateKey, registry_delete DeleteKey and DeleteValue", () => {
    const add = rule('registry_add');
    const remove = rule('registry_delete');
    expect(matches(add, sysmonEvent('12', { EventType: 'CreateKey', TargetObject: key }))).toBe(true);
    expect(matches(add, sysmonEvent('12', { EventType: 'DeleteKey', TargetObject: key }))).toBe(false);
    expect(matches(remove, sysmonEvent('12', { EventType: 'DeleteKey', TargetObject: key }))).toBe(true);
    expect(matches(remove, sysmonEvent('12', { EventType: 'DeleteValue', TargetObject: key }))).toBe(true);
    expect(matches(remove, sysmonEvent('12', { EventType: 'CreateKey', TargetObject: key }))).toBe(false);
    // Exact values: no EventType, or another spelling, is not the category.
    expect(matches(remove, sysmonEvent('12', { TargetObject: key }))).toBe(false);
    expect(matches(remove, sysmonEvent('12', { EventType: 'deletekey', TargetObject: key }))).toBe(false);
    expect(matches(remove, sysmonEvent('13', { EventType: 'DeleteValue', TargetObject: key }))).toBe(false);
  });

  it('takes registry_rename as EventID 14 and registry_event as 12, 13 and 14', () => {
    expect(matches(rule('registry_rename'), sysmonEvent('14', { EventType: 'RenameKey', TargetObject: key }))).toBe(true);
    expect(matches(rule('registry_rename'), sysmonEvent('13', { EventType: 'SetValue', TargetObject: key }))).toBe(false);
    for (const code of ['12', '13', '14']) expect(matches(rule('registry_event'), sysmonEvent(code, { TargetObject: key }))).toBe(true);
  });

  it('reads PowerShell script blocks (4104) from Windows PowerShell 5 and PowerShell 7 alike', () => {
    const ruleSet = compileOrThrow(
      detectionRule("selection:\n    ScriptBlockText|contains: 'Invoke-Mimikatz'\ncondition: selection", 'product: windows\n    category: ps_script'),
    );
    const block = (dataset: string, code = '4104') =>
      ecsEvent({ event: { code, dataset }, winlog: { event_data: { ScriptBlockText: 'Invoke-Mimikatz -DumpCreds' } } });
    expect(matches(ruleSet, block('windows.powershell_operational'))).toBe(true);
    expect(matches(ruleSet, block('windows.powershellcore_operational'))).toBe(true);
    expect(matches(ruleSet, block('windows.powershell_operational', '4103'))).toBe(false);
    expect(matches(ruleSet, block('windows.powershell', '4104'))).toBe(false);
  });
});

describe("Microsoft Defender's event data", () => {
  it('reads a Sigma field name as written, then as Defender spells it with spaces', () => {
    expect(resolveField('windows', 'ThreatName')).toEqual({ paths: ['winlog.event_data.ThreatName', 'winlog.event_data.Threat Name'] });
    expect(resolveField('windows', 'Feature_Name')).toEqual({ paths: ['winlog.event_data.Feature_Name', 'winlog.event_data.Feature Name'] });
    const ruleSet = compileOrThrow(
      detectionRule("selection:\n    EventID: 1119\n    SourceName: 'Real-Time Protection'\ncondition: selection", 'product: windows\n    service: windefend'),
    );
    const defender = ecsEvent({
      event: { code: '1119', dataset: 'windows.microsoft_windows_windows_defender_operational' },
      winlog: { event_data: { 'Source Name': 'Real-Time Protection' } },
    });
    expect(matches(ruleSet, defender)).toBe(true);
  });
});

describe("Windows PowerShell's unnamed event data", () => {
  it('matches Data against each unnamed item of an EVTX-as-JSON record (evtx_dump: EventData.Data.#text)', () => {
    const ruleSet = compileOrThrow(
      detectionRule(
        "selection:\n    Data|contains: 'HostApplication=powershell.exe -enc'\ncondition: selection",
        'product: windows\n    category: ps_classic_start',
      ),
    );
    const record = (eventId: number) => ({
      Event: {
        System: {
          Provider: { '#attributes': { Name: 'PowerShell' } },
          EventID: eventId,
          Channel: 'Windows PowerShell',
          Computer: 'ws01.example.local',
          TimeCreated: { '#attributes': { SystemTime: '2026-11-30T10:00:00.000000Z' } },
        },
        EventData: {
          Data: {
            '#text': ['Available', 'None', '\tNewEngineState=Available\r\n\tHostName=ConsoleHost\r\n\tHostApplication=powershell.exe -enc SQBFAFgA\r\n'],
          },
        },
      },
    });
    const [start, stop] = collectorEvents([record(400), record(403)]);
    expect(start.event.dataset).toBe('windows.powershell');
    expect(matches(ruleSet, start)).toBe(true);
    expect(matches(ruleSet, stop)).toBe(false);
  });
});
