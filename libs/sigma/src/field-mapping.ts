/**
 * Sigma field names → paths in our ECS event (`SocEvent`), per log source family. This table is the
 * contract with the parsers: FIELD-MAPPING.md documents it and must change with it.
 *
 * A mapping may list several paths; the first one present in the event is read.
 *
 * Windows event data is read raw, from `winlog.event_data.<Field>`, never from the ECS field a parser
 * derives from it: which account ends up in `user.name` depends on the event (4624: the target; 4648:
 * the subject, with the target in `user.effective`), and ECS cannot hold Windows' `-` placeholder
 * (`IpAddress: '-'`). A static Sigma→ECS mapping of those fields would make rules match the wrong
 * value; the raw value is what Sigma rules are written against.
 */
export type LogsourceFamily = 'windows' | 'linux' | 'linux_sysmon' | 'linux_auditd' | 'web' | 'firewall' | 'dns' | 'cisco';

export type FieldPaths = readonly string[];

const windowsEventData = (field: string): FieldPaths => [`winlog.event_data.${field}`];

const windowsFields: Record<string, FieldPaths> = {
  // The <System> part of a Windows event; everything else is event data (see resolveField).
  EventID: ['event.code'],
  Channel: ['winlog.channel'],
  Computer: ['winlog.computer_name', 'host.name'],
  ComputerName: ['winlog.computer_name', 'host.name'],
  Provider_Name: ['winlog.provider_name'],
  // Microsoft Defender (service windefend) names its event data with spaces (`<Data Name="Threat
  // Name">`); Sigma's rules write the names without them. Read as written first, then Defender's.
  ...Object.fromEntries(
    [
      'Action Name',
      'Category Name',
      'Detection ID',
      'Detection User',
      'Error Code',
      'Error Description',
      'Execution Name',
      'Feature Name',
      'New Value',
      'Old Value',
      'Origin Name',
      'Process Name',
      'Product Name',
      'Product Version',
      'Severity Name',
      'Source Name',
      'Threat ID',
      'Threat Name',
    ].flatMap((spaced) => {
      const paths = (sigma: string): [string, FieldPaths] => [sigma, [...windowsEventData(sigma), ...windowsEventData(spaced)]];
      // SigmaHQ writes Defender's Feature Name as Feature_Name.
      return spaced === 'Feature Name' ? [paths('Feature_Name'), paths('FeatureName')] : [paths(spaced.replace(/ /g, ''))];
    }),
  ),
};

const linuxFields: Record<string, FieldPaths> = {
  // Fields of the PAM messages in auth.log, as SigmaHQ's linux/auth rules name them.
  pam_user: ['user.name'],
  pam_rhost: ['source.address', 'source.ip', 'source.domain'],
  // sudo's `USER=` (the account the command runs as), verbatim: `#-1` stays `#-1`.
  USER: ['user.effective.name'],
};

/**
 * The EventData names Sysmon for Linux writes for the categories we accept (ProcessCreate 1,
 * NetworkConnect 3, FileCreate 11; its manifest and outputxml.cpp), read raw from
 * `winlog.event_data` as Windows Sysmon's are. A name it never writes is refused, not left never
 * to match.
 */
const linuxSysmonEventData = [
  'RuleName',
  'UtcTime',
  'ProcessGuid',
  'ProcessId',
  'Image',
  'FileVersion',
  'Description',
  'Product',
  'Company',
  'OriginalFileName',
  'CommandLine',
  'CurrentDirectory',
  'User',
  'LogonGuid',
  'LogonId',
  'TerminalSessionId',
  'IntegrityLevel',
  'Hashes',
  'ParentProcessGuid',
  'ParentProcessId',
  'ParentImage',
  'ParentCommandLine',
  'ParentUser',
  'Protocol',
  'Initiated',
  'SourceIsIpv6',
  'SourceIp',
  'SourceHostname',
  'SourcePort',
  'SourcePortName',
  'DestinationIsIpv6',
  'DestinationIp',
  'DestinationHostname',
  'DestinationPort',
  'DestinationPortName',
  'TargetFilename',
  'CreationUtcTime',
];

const linuxSysmonFields: Record<string, FieldPaths> = {
  ...Object.fromEntries(linuxSysmonEventData.map((name) => [name, [`winlog.event_data.${name}`]])),
  EventID: ['event.code'],
  Channel: ['winlog.channel'],
  Computer: ['winlog.computer_name', 'host.name'],
  Provider_Name: ['winlog.provider_name'],
};

/**
 * Linux audit records (`linux.auditd`): the parser keeps every `key=value` of a record verbatim under
 * `auditd.log` (the `msg='…'` of user-space records flattened into it, ENRICHED translations such as
 * `SYSCALL=execve` under their upper-case names), so any audit field name reads `auditd.log.<name>`
 * (resolveField); only the record type has a name of its own.
 */
const linuxAuditdFields: Record<string, FieldPaths> = {
  type: ['auditd.log.record_type'],
};
/** Names the parser uses itself, or flattens away (`msg`): no audit field is read from them. */
const auditdParserKeys = new Set(['record_type', 'sequence', 'msg']);

const webFields: Record<string, FieldPaths> = {
  // W3C extended log names (webserver) and the proxy taxonomy
  // SigmaHQ's webserver rules look for path patterns (`/cgi-bin/.%2e/`) in cs-uri-query, so it means
  // the whole request target here, exactly as the access log wrote it.
  'cs-uri-query': ['url.original'],
  'cs-uri-stem': ['url.path'],
  'cs-uri': ['url.original'],
  'c-uri': ['url.original'],
  'c-uri-query': ['url.query'],
  'c-uri-stem': ['url.path'],
  'c-uri-extension': ['url.extension'],
  'cs-method': ['http.request.method'],
  'sc-status': ['http.response.status_code'],
  'cs-user-agent': ['user_agent.original'],
  'c-useragent': ['user_agent.original'],
  'cs-referer': ['http.request.referrer'],
  'cs-referrer': ['http.request.referrer'],
  'cs-host': ['url.domain'],
  'r-dns': ['url.domain'],
  'cs-username': ['user.name'],
  'c-ip': ['source.ip'],
  clientip: ['source.ip'],
  'cs-bytes': ['http.request.bytes'],
  // The proxy's destination (the server it connected to), as ECS-mapped proxy records carry it.
  dst_ip: ['destination.ip'],
  'sc-bytes': ['http.response.bytes'],
  // The request target percent-decoded for matching (libs/parsing url-decoding.ts). An event a
  // forwarder mapped to ECS itself may lack it: the rule then reads the target as sent.
  'url.decoded': ['url.decoded', 'url.original'],
};

const firewallFields: Record<string, FieldPaths> = {
  src_ip: ['source.ip'],
  src_port: ['source.port'],
  dst_ip: ['destination.ip'],
  dst_port: ['destination.port'],
  action: ['event.action'],
  protocol: ['network.transport'],
};

const dnsFields: Record<string, FieldPaths> = {
  query: ['dns.question.name'],
  record_type: ['dns.question.type'],
  answer: ['dns.answers.data'],
  response_code: ['dns.response_code'],
  src_ip: ['source.ip'],
  dst_ip: ['destination.ip'],
};

export const fieldMappings: Readonly<Record<LogsourceFamily, Readonly<Record<string, FieldPaths>>>> = {
  windows: windowsFields,
  linux: linuxFields,
  linux_sysmon: linuxSysmonFields,
  linux_auditd: linuxAuditdFields,
  web: webFields,
  firewall: firewallFields,
  dns: dnsFields,
  // SigmaHQ's Cisco rules are keyword searches of the message; no field of its own is mapped.
  cisco: {},
};

/**
 * ECS field sets a rule may name directly (`source.ip`, `event.outcome`) in any log source: our own
 * rules are written against ECS where Sigma has no field name (sshd has none).
 */
const ecsTopLevel = new Set([
  'agent',
  'client',
  'cloud',
  'container',
  'destination',
  'dns',
  'email',
  'error',
  'event',
  'file',
  'group',
  'host',
  'http',
  'labels',
  'log',
  'network',
  'observer',
  'organization',
  'process',
  'registry',
  'related',
  'rule',
  'server',
  'service',
  'source',
  'threat',
  'tls',
  'url',
  'user',
  'user_agent',
  'winlog',
]);

export type FieldResolution = { paths: FieldPaths } | { error: string };

export function resolveField(family: LogsourceFamily, field: string): FieldResolution {
  const mapped = fieldMappings[family][field];
  if (mapped) return { paths: mapped };
  if (field === 'message') return { paths: ['message'] };
  const dot = field.indexOf('.');
  if (dot > 0 && ecsTopLevel.has(field.slice(0, dot))) return { paths: [field] };
  // Windows event data is open-ended (hundreds of event types); the parser keeps it verbatim.
  if (family === 'windows' && /^[A-Za-z][A-Za-z0-9_]*$/.test(field)) return { paths: windowsEventData(field) };
  // Audit fields likewise: the parser keeps every field of a record under its own name.
  if (family === 'linux_auditd' && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(field) && !auditdParserKeys.has(field)) return { paths: [`auditd.log.${field}`] };
  return { error: `field '${field}' has no mapping for ${family} log sources (see libs/sigma/FIELD-MAPPING.md)` };
}
