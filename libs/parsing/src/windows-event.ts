import { assignField, lookup, type EcsObject } from './ecs-fields';
import { eventResult, parseFailure, type EventParseResult } from './parse-result';
import { parseRfc3339At } from './rfc3339-timestamp';
import { logonFailureReasons, securityEvents, sysmonEvents, systemEvents, type WindowsEventKind } from './windows-event-catalogue';
import { baseName, endpointFrom, field, parsePid, processFields, userFields, type WindowsEventRecord } from './windows-event-fields';

export type { WindowsEventRecord } from './windows-event-fields';

export interface WindowsEventOptions {
  /** Zone of zone-less times such as NXLog `EventTime` (default UTC). */
  timeZone?: string;
}

const sysmonChannel = 'Microsoft-Windows-Sysmon/Operational';
const sysmonProvider = 'Microsoft-Windows-Sysmon';

/** Transport/envelope fields (NXLog, EVTX System) that are not EventData. */
const envelopeKeys = new Set([
  'EventID',
  'Channel',
  'Hostname',
  'Computer',
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
  'Level',
]);

const datasetByChannel: Record<string, string> = {
  Security: 'windows.security',
  System: 'windows.system',
  Application: 'windows.application',
  'Windows PowerShell': 'windows.powershell',
  'Microsoft-Windows-PowerShell/Operational': 'windows.powershell_operational',
  [sysmonChannel]: 'windows.sysmon_operational',
};

const transportByProtocolNumber: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp' };

/** `2020-10-22 08:29:52.016` or ISO 8601; zone-less times are read in `timeZone`. */
function parseWindowsTime(text: string | undefined, timeZone: string, requireZone: boolean): string | undefined {
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}/.test(text)) return undefined;
  // Read in place, the space taken for the `T` it stands for: no ISO copy of the text to parse.
  const parsed = parseRfc3339At(text, 0, { strict: false, timeZone, spaceSeparator: true });
  if ('ok' in parsed || parsed.end !== text.length || (requireZone && parsed.zoneAssumed)) return undefined;
  return parsed.iso;
}

function eventTimestamp(record: WindowsEventRecord, isSysmon: boolean, timeZone: string): { iso?: string; zoneAssumed: boolean } {
  const timeCreated = field(record, 'TimeCreated');
  const explicit =
    (isSysmon ? parseWindowsTime(field(record, 'UtcTime'), 'UTC', false) : undefined) ??
    parseWindowsTime(timeCreated, timeZone, true) ??
    parseWindowsTime(field(record, '@timestamp'), timeZone, true);
  if (explicit !== undefined) return { iso: explicit, zoneAssumed: false };
  const local = parseWindowsTime(timeCreated, timeZone, false) ?? parseWindowsTime(field(record, 'EventTime'), timeZone, false);
  return { iso: local, zoneAssumed: local !== undefined };
}

function outcomeOf(record: WindowsEventRecord, kind: WindowsEventKind | undefined): 'success' | 'failure' | undefined {
  const eventType = field(record, 'EventType');
  if (eventType === 'AUDIT_SUCCESS') return 'success';
  if (eventType === 'AUDIT_FAILURE') return 'failure';
  const keywords = field(record, 'Keywords');
  if (keywords !== undefined && /^0x[0-9a-f]{1,16}$/i.test(keywords)) {
    const bits = BigInt(keywords);
    if ((bits & 0x10000000000000n) !== 0n) return 'failure';
    if ((bits & 0x20000000000000n) !== 0n) return 'success';
  }
  if (kind?.outcomeFromStatus === true) {
    const status = field(record, 'Status');
    if (status !== undefined) return /^0x0+$/i.test(status) ? 'success' : 'failure';
  }
  return kind?.outcome;
}

function failureReason(record: WindowsEventRecord): string | undefined {
  const subStatus = field(record, 'SubStatus')?.toLowerCase();
  const status = field(record, 'Status')?.toLowerCase();
  const code = subStatus !== undefined && !/^0x0+$/.test(subStatus) ? subStatus : status;
  if (code === undefined || /^0x0+$/.test(code)) return undefined;
  return lookup(logonFailureReasons, code) ?? `status ${code}`;
}

/**
 * NXLog's own `EventType` (the event's level or audit result). Any other value is event data of that
 * name, which Sysmon's registry, pipe and WMI events carry (CreateKey, SetValue, ConnectPipe, ...).
 */
const nxlogEventTypes = new Set(['CRITICAL', 'ERROR', 'AUDIT_FAILURE', 'AUDIT_SUCCESS', 'INFO', 'WARNING', 'VERBOSE']);

function eventData(record: WindowsEventRecord): EcsObject {
  const data: EcsObject = {};
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (envelopeKeys.has(key) && !(key === 'EventType' && typeof value === 'string' && !nxlogEventTypes.has(value))) continue;
    // Kept as text, as the Windows event log holds them, so that Sigma field values compare as written.
    if (typeof value === 'string') assignField(data, key, value);
    else if (typeof value === 'number' || typeof value === 'boolean') assignField(data, key, String(value));
    else if (value !== undefined) assignField(data, key, value);
  }
  return data;
}

function kindOf(eventId: number, channel: string | undefined, isSysmon: boolean): WindowsEventKind | undefined {
  const table = isSysmon ? sysmonEvents : channel === 'Security' ? securityEvents : channel === 'System' ? systemEvents : undefined;
  return table === undefined ? undefined : lookup(table, String(eventId));
}

function datasetOf(channel: string | undefined, isSysmon: boolean): string | undefined {
  if (isSysmon) return 'windows.sysmon_operational';
  if (channel === undefined) return undefined;
  return windowsChannelDataset(channel);
}

/**
 * The `event.dataset` of a Windows event log channel (FIELD-MAPPING.md §1): `windows.` and the
 * channel in lower case, each run of other characters an underscore, or the short name above.
 * libs/sigma maps Sigma's log sources to datasets with it.
 */
export function windowsChannelDataset(channel: string): string {
  return (
    lookup(datasetByChannel, channel) ??
    `windows.${channel
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '')}`
  );
}

/**
 * Normalises one Windows event (Security, System, Sysmon, PowerShell, ...) given as a flat
 * record with the Windows field names (NXLog/OTRF style). Every EventData field is kept under
 * `winlog.event_data` with its original name so that Sigma rules can use them as written.
 */
export function normaliseWindowsEvent(record: WindowsEventRecord, options: WindowsEventOptions = {}): EventParseResult {
  const timeZone = options.timeZone ?? 'UTC';
  const eventIdText = field(record, 'EventID');
  const eventId = eventIdText !== undefined && /^\d{1,5}$/.test(eventIdText) ? Number(eventIdText) : NaN;
  if (!(eventId >= 0 && eventId <= 65535)) return parseFailure('Windows event EventID must be an integer 0..65535');
  const channel = field(record, 'Channel');
  const provider = field(record, 'SourceName') ?? field(record, 'ProviderName');
  const isSysmon = channel === sysmonChannel || (channel === undefined && provider === sysmonProvider);
  const kind = kindOf(eventId, channel, isSysmon);

  const event: EcsObject = { code: String(eventId), module: isSysmon ? 'sysmon' : 'windows' };
  const dataset = datasetOf(channel, isSysmon);
  if (dataset !== undefined) event.dataset = dataset;
  if (provider !== undefined) event.provider = provider;
  if (kind !== undefined) {
    event.category = kind.category;
    event.type = kind.type;
    event.action = kind.action;
  }
  const outcome = outcomeOf(record, kind);
  if (outcome !== undefined) event.outcome = outcome;
  if (outcome === 'failure') {
    const reason = failureReason(record);
    if (reason !== undefined) event.reason = reason;
  }

  const document: EcsObject = {};
  const timestamp = eventTimestamp(record, isSysmon, timeZone);
  if (timestamp.iso !== undefined) document['@timestamp'] = timestamp.iso;
  if (timestamp.zoneAssumed) event.timezone = timeZone;
  document.event = event;

  const hostName = field(record, 'Hostname') ?? field(record, 'Computer');
  if (hostName !== undefined) document.host = { name: hostName };
  const user = userFields(record, kind?.user);
  if (user !== undefined) document.user = user;

  if (isSysmon && eventId === 3) {
    const source = endpointFrom(field(record, 'SourceIp'), field(record, 'SourcePort'), field(record, 'SourceHostname'));
    const destination = endpointFrom(field(record, 'DestinationIp'), field(record, 'DestinationPort'), field(record, 'DestinationHostname'));
    if (source !== undefined) document.source = source;
    if (destination !== undefined) document.destination = destination;
    const transport = field(record, 'Protocol');
    if (transport !== undefined) document.network = { transport: transport.toLowerCase() };
  } else if (!isSysmon && (eventId === 5156 || eventId === 5157 || eventId === 5158)) {
    const source = endpointFrom(field(record, 'SourceAddress'), field(record, 'SourcePort'));
    const destination = endpointFrom(field(record, 'DestAddress'), field(record, 'DestPort'));
    if (source !== undefined) document.source = source;
    if (destination !== undefined) document.destination = destination;
    const transport = lookup(transportByProtocolNumber, field(record, 'Protocol') ?? '');
    if (transport !== undefined) document.network = { transport };
  } else if (!isSysmon && eventId === 4648) {
    const destination = endpointFrom(field(record, 'IpAddress'), field(record, 'IpPort'), field(record, 'TargetServerName'));
    if (destination !== undefined) document.destination = destination;
  } else {
    const workstation = field(record, 'WorkstationName') ?? field(record, 'Workstation');
    const source = endpointFrom(field(record, 'IpAddress'), field(record, 'IpPort'), workstation);
    if (source !== undefined) document.source = source;
  }

  const process = processFields(record, eventId, isSysmon);
  if (process !== undefined) document.process = process;
  if (isSysmon) {
    const fileTarget = field(record, eventId === 7 ? 'ImageLoaded' : 'TargetFilename');
    if (fileTarget !== undefined && [2, 7, 11, 15, 23, 26].includes(eventId)) document.file = { path: fileTarget, name: baseName(fileTarget) };
    const pipe = field(record, 'PipeName');
    if (pipe !== undefined && (eventId === 17 || eventId === 18)) document.file = { name: pipe };
    const registryPath = field(record, 'TargetObject');
    if (registryPath !== undefined && eventId >= 12 && eventId <= 14) document.registry = { path: registryPath };
    const query = field(record, 'QueryName');
    if (query !== undefined && eventId === 22) document.dns = { question: { name: query } };
  }

  const message = field(record, 'Message');
  if (message !== undefined) document.message = message;
  const severity = field(record, 'Severity');
  if (severity !== undefined && /^[A-Za-z]+$/.test(severity)) document.log = { level: severity.toLowerCase() };

  const winlog: EcsObject = { event_id: String(eventId) };
  if (channel !== undefined) winlog.channel = channel;
  if (provider !== undefined) winlog.provider_name = provider;
  if (hostName !== undefined) winlog.computer_name = hostName;
  const recordId = field(record, 'RecordNumber');
  if (recordId !== undefined) winlog.record_id = recordId;
  const task = field(record, 'Category');
  if (task !== undefined) winlog.task = task;
  const opcode = field(record, 'Opcode');
  if (opcode !== undefined) winlog.opcode = opcode;
  const activityId = field(record, 'ActivityID');
  if (activityId !== undefined) winlog.activity_id = activityId;
  const providerGuid = field(record, 'ProviderGuid');
  if (providerGuid !== undefined) winlog.provider_guid = providerGuid;
  const executionPid = parsePid(field(record, 'ExecutionProcessID'));
  if (executionPid !== undefined) winlog.process = { pid: executionPid };
  winlog.event_data = eventData(record);
  document.winlog = winlog;

  const relatedUsers = distinctNames(field(record, 'SubjectUserName'), field(record, 'TargetUserName'));
  if (relatedUsers.length > 0) document.related = { user: relatedUsers };
  return eventResult(document);
}

/** The names given, in order, without repeats. */
function distinctNames(first: string | undefined, second: string | undefined): string[] {
  if (first === undefined) return second === undefined ? [] : [second];
  return second === undefined || second === first ? [first] : [first, second];
}
