import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One real failed logon (Security 4625, OTRF Security-Datasets, PurpleSharp's password spray;
 * ../shared/data/otrf-security-datasets) rendered the two ways a member's forwarder sends it:
 * NXLog's `to_json()` record and a Winlogbeat 8 document (also what Windows Event Forwarding
 * collectors running Winlogbeat ship). The address, port, logon type and time are the test's:
 * the original was an interactive logon with no address.
 */
const otrfFile = join(__dirname, '../../../../shared/data/otrf-security-datasets/purplesharp_ad_playbook_I_2020-10-22042947.filtered.json');

type Json = Record<string, unknown>;

function realRecord(): Json {
  const line = readFileSync(otrfFile, 'utf8')
    .split('\n')
    .find((text) => text.includes('"EventID":4625'));
  if (line === undefined) throw new Error(`no 4625 in ${otrfFile}`);
  return JSON.parse(line) as Json;
}

/** Logstash's additions in the OTRF file: not part of what NXLog sends. */
const logstashEnvelope = ['@timestamp', '@version', 'tags', 'host', 'port'];

/** `2026-12-02T10:15:01.000Z` → NXLog's `EventTime` (`2026-12-02 10:15:01`, the host's zone: UTC here). */
function nxlogTime(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}

export interface LogonFailure {
  address: string;
  /** ISO time, whole seconds. */
  time: string;
  user?: string;
}

export function nxlog4625({ address, time, user }: LogonFailure): Json {
  const record = realRecord();
  for (const key of logstashEnvelope) delete record[key];
  return {
    ...record,
    EventTime: nxlogTime(time),
    EventReceivedTime: nxlogTime(time),
    IpAddress: address,
    IpPort: '51515',
    LogonType: '3',
    ...(user === undefined ? {} : { TargetUserName: user }),
  };
}

const systemFields = new Set([
  'EventID',
  'Channel',
  'Hostname',
  'SourceName',
  'Message',
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
  'ActivityID',
]);

/** The same event as Winlogbeat 8 ships it (`winlog.*`, its own `event.*` and `agent`). */
export function winlogbeat4625(failure: LogonFailure): Json {
  const record = nxlog4625(failure);
  const eventData: Json = {};
  for (const [key, value] of Object.entries(record)) if (!systemFields.has(key)) eventData[key] = value;
  return {
    '@timestamp': new Date(failure.time).toISOString(),
    agent: { type: 'winlogbeat', version: '8.11.0', name: 'wec01' },
    ecs: { version: '8.0.0' },
    host: { name: 'WORKSTATION5.theshire.local' },
    log: { level: 'information' },
    message: record.Message,
    event: { code: '4625', kind: 'event', provider: record.SourceName, outcome: 'failure', created: new Date(failure.time).toISOString() },
    winlog: {
      api: 'wineventlog',
      channel: record.Channel,
      computer_name: record.Hostname,
      event_id: '4625',
      provider_name: record.SourceName,
      provider_guid: record.ProviderGuid,
      record_id: String(record.RecordNumber),
      keywords: ['Audit Failure'],
      opcode: 'Info',
      task: 'Logon',
      process: { pid: record.ExecutionProcessID, thread: { id: record.ThreadID } },
      event_data: eventData,
    },
  };
}

/** The fields the Windows rules and the correlator read: what must not depend on the forwarder. */
export function detectionFields(event: Json): Json {
  const meta = (event.event ?? {}) as Json;
  const winlog = (event.winlog ?? {}) as Json;
  return {
    '@timestamp': event['@timestamp'],
    event: { code: meta.code, dataset: meta.dataset, module: meta.module, outcome: meta.outcome, category: meta.category, type: meta.type },
    source: event.source,
    user: event.user,
    winlog: { channel: winlog.channel, event_id: winlog.event_id, event_data: winlog.event_data },
  };
}
