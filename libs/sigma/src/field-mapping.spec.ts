import { resolveField } from './field-mapping';
import { acceptsDataset, resolveLogsource } from './logsource-filter';
import { compileOrThrow, detectionRule, ecsEvent, errorsOf, matches } from './testing/rules';

describe(resolveField.name, () => {
  it('maps Windows System fields to ECS and event data to the raw winlog.event_data', () => {
    expect(resolveField('windows', 'EventID')).toEqual({ paths: ['event.code'] });
    expect(resolveField('windows', 'Computer')).toEqual({ paths: ['winlog.computer_name', 'host.name'] });
    expect(resolveField('windows', 'TargetUserName')).toEqual({ paths: ['winlog.event_data.TargetUserName'] });
    expect(resolveField('windows', 'IpAddress')).toEqual({ paths: ['winlog.event_data.IpAddress'] });
  });

  it('maps web server fields to ECS', () => {
    expect(resolveField('web', 'cs-uri-query')).toEqual({ paths: ['url.original'] });
    expect(resolveField('web', 'cs-method')).toEqual({ paths: ['http.request.method'] });
    expect(resolveField('web', 'c-uri')).toEqual({ paths: ['url.original'] });
  });

  it('reads the decoded request target, or the target as sent when an event has no decoded one', () => {
    expect(resolveField('web', 'url.decoded')).toEqual({ paths: ['url.decoded', 'url.original'] });
    const rule = compileOrThrow(detectionRule("selection:\n    url.decoded|contains: '../'\ncondition: selection", 'category: webserver'));
    expect(matches(rule, ecsEvent({ event: { dataset: 'nginx.access' }, url: { original: '/a/%2e%2e/b', decoded: '/a/../b' } }))).toBe(true);
    expect(matches(rule, ecsEvent({ event: { dataset: 'nginx.access' }, url: { original: '/a/../b' } }))).toBe(true);
    expect(matches(rule, ecsEvent({ event: { dataset: 'nginx.access' }, url: { original: '/a/b' } }))).toBe(false);
  });

  it('lets rules name ECS fields directly in any log source', () => {
    expect(resolveField('linux', 'source.ip')).toEqual({ paths: ['source.ip'] });
    expect(resolveField('web', 'message')).toEqual({ paths: ['message'] });
  });

  it('rejects an unmapped field outside Windows', () => {
    expect(resolveField('linux', 'pam_message')).toEqual({
      error: "field 'pam_message' has no mapping for linux log sources (see libs/sigma/FIELD-MAPPING.md)",
    });
  });

  it('reads the raw value where ECS has no place for it (IpAddress "-")', () => {
    const rules = compileOrThrow(detectionRule("selection:\n    IpAddress: '-'\ncondition: selection"));
    expect(matches(rules, ecsEvent({ event: { dataset: 'windows.security', code: '4625' }, winlog: { event_data: { IpAddress: '-' } } }))).toBe(true);
  });

  it('reads the raw TargetUserName even where the parser put another account in user.name (4648)', () => {
    const rules = compileOrThrow(detectionRule("selection:\n    TargetUserName: 'testuser'\ncondition: selection"));
    const explicitLogon = ecsEvent({
      event: { dataset: 'windows.security', code: '4648' },
      user: { name: 'xodih' },
      winlog: { event_data: { SubjectUserName: 'xodih', TargetUserName: 'testuser' } },
    });
    expect(matches(rules, explicitLogon)).toBe(true);
  });
});

describe(resolveLogsource.name, () => {
  it('resolves a supported log source to the datasets it covers', () => {
    expect(resolveLogsource({ product: 'linux', service: 'sshd' })).toEqual({ target: { family: 'linux', datasets: ['linux.sshd'] } });
  });

  it('rejects an unsupported log source', () => {
    expect(resolveLogsource({ product: 'nosuchproduct', service: 'x' })).toEqual({ error: 'unsupported logsource (product=nosuchproduct service=x)' });
  });

  it('rejects a log source the collector cannot receive, saying why', () => {
    expect(resolveLogsource({ product: 'azure', service: 'signinlogs' })).toEqual({
      error: expect.stringMatching(/^logsource \(product=azure service=signinlogs\) is not receivable: Azure .* cloud or SaaS API/),
    });
    expect(errorsOf(detectionRule('selection:\n    a: b\ncondition: selection', 'product: opencanary'))).toEqual([
      "logsource: logsource (product=opencanary) is not receivable: OpenCanary is an application's own log, which no parser gives a dataset",
    ]);
    expect(resolveLogsource({ product: 'windows', category: 'file_access' })).toEqual({
      error: expect.stringContaining('ETW provider Microsoft-Windows-Kernel-File'),
    });
  });

  it('maps Windows service and category log sources to the datasets libs/parsing stamps for their channels', () => {
    const target = (logsource: Record<string, string>) => (resolveLogsource(logsource) as { target: unknown }).target;
    expect(target({ product: 'windows', category: 'ps_script' })).toEqual({
      family: 'windows',
      datasets: ['windows.powershell_operational', 'windows.powershellcore_operational'],
      eventCodes: ['4104'],
    });
    expect(target({ product: 'windows', category: 'ps_classic_start' })).toEqual({ family: 'windows', datasets: ['windows.powershell'], eventCodes: ['400'] });
    expect(target({ product: 'windows', service: 'windefend' })).toEqual({
      family: 'windows',
      datasets: ['windows.microsoft_windows_windows_defender_operational'],
    });
    expect(target({ product: 'windows', category: 'registry_delete' })).toEqual({
      family: 'windows',
      datasets: ['windows.sysmon_operational'],
      eventCodes: ['12'],
      eventData: { EventType: ['DeleteKey', 'DeleteValue'] },
    });
  });

  it('lets a product-only log source cover every dataset of the family', () => {
    const linux = resolveLogsource({ product: 'linux' });
    if (!('target' in linux)) throw new Error('linux is supported');
    expect(acceptsDataset(linux.target, 'linux.anything')).toBe(true);
    expect(acceptsDataset(linux.target, 'windows.security')).toBe(false);
  });

  it('keeps rules away from events of other log sources', () => {
    const rules = compileOrThrow(detectionRule("keywords:\n    - 'Corrupted MAC on input'\ncondition: keywords", 'product: linux\n    service: sshd'));
    expect(matches(rules, ecsEvent({ event: { dataset: 'linux.sshd' }, message: 'Corrupted MAC on input.' }))).toBe(true);
    expect(matches(rules, ecsEvent({ event: { dataset: 'linux.sudo' }, message: 'Corrupted MAC on input.' }))).toBe(false);
    expect(matches(rules, ecsEvent({ message: 'Corrupted MAC on input.' }))).toBe(false);
  });
});
