import { assignField, isPlainObject, type EcsObject } from './ecs-fields';
import type { WindowsEventRecord } from './windows-event';

/**
 * Windows events reach us in three JSON shapes. These functions flatten the other two into the
 * flat NXLog shape (`EventID`, `Channel`, `Hostname`, EventData names) that
 * `normaliseWindowsEvent` reads.
 */

function attributes(value: unknown): EcsObject {
  return isPlainObject(value) && isPlainObject(value['#attributes']) ? value['#attributes'] : {};
}

function textOf(value: unknown): unknown {
  return isPlainObject(value) && '#text' in value ? value['#text'] : value;
}

/** True for the EVTX-as-JSON shape (`{ Event: { System: { EventID, ... }, EventData: {...} } }`). */
export function isEvtxJsonRecord(record: EcsObject): boolean {
  const event = record.Event;
  return isPlainObject(event) && isPlainObject(event.System) && event.System.EventID !== undefined;
}

/** `evtx_dump`/`python-evtx` JSON → flat record. */
export function flattenEvtxJsonRecord(record: EcsObject): WindowsEventRecord {
  const event = record.Event as EcsObject;
  const system = event.System as EcsObject;
  const flat: WindowsEventRecord = {};
  const provider = attributes(system.Provider);
  if (typeof provider.Name === 'string') flat.SourceName = provider.Name;
  if (typeof provider.Guid === 'string') flat.ProviderGuid = provider.Guid;
  flat.EventID = textOf(system.EventID);
  for (const key of ['Channel', 'Computer', 'Keywords', 'Task', 'Opcode', 'Version', 'Level']) {
    if (system[key] !== undefined && system[key] !== null) flat[key] = textOf(system[key]);
  }
  if (system.EventRecordID !== undefined) flat.RecordNumber = textOf(system.EventRecordID);
  const created = attributes(system.TimeCreated).SystemTime;
  if (typeof created === 'string') flat.TimeCreated = created;
  const execution = attributes(system.Execution);
  if (execution.ProcessID !== undefined) flat.ExecutionProcessID = execution.ProcessID;
  const correlation = attributes(system.Correlation);
  if (typeof correlation.ActivityID === 'string') flat.ActivityID = correlation.ActivityID;
  copyEventData(event.EventData, flat);
  if (isPlainObject(event.UserData)) {
    for (const inner of Object.values(event.UserData)) copyEventData(inner, flat);
  }
  return flat;
}

/** EventData as `{ Name: value }` or as `{ Data: [{ '#attributes': { Name }, '#text': value }] }`. */
function copyEventData(data: unknown, flat: WindowsEventRecord): void {
  if (!isPlainObject(data)) return;
  const items = data.Data;
  if (Array.isArray(items)) {
    for (const item of items) {
      const name = attributes(item).Name;
      if (typeof name === 'string') assignField(flat, name, textOf(item));
    }
    return;
  }
  for (const [key, value] of Object.entries(data)) {
    if (key !== '#attributes') assignField(flat, key, textOf(value));
  }
}

/** True for Winlogbeat/Elastic Agent output (`winlog.event_id`, `winlog.channel`, ...). */
export function isWinlogbeatRecord(record: EcsObject): boolean {
  const winlog = record.winlog;
  return isPlainObject(winlog) && winlog.event_id !== undefined && (winlog.channel !== undefined || winlog.provider_name !== undefined);
}

/** Winlogbeat document → flat record (the original document is merged back over our mapping). */
export function flattenWinlogbeatRecord(record: EcsObject): WindowsEventRecord {
  const winlog = record.winlog as EcsObject;
  const flat: WindowsEventRecord = {};
  copyEventData(winlog.event_data, flat);
  copyEventData(winlog.user_data, flat);
  flat.EventID = winlog.event_id;
  if (winlog.channel !== undefined) flat.Channel = winlog.channel;
  if (winlog.provider_name !== undefined) flat.SourceName = winlog.provider_name;
  const host = record.host;
  flat.Hostname = winlog.computer_name ?? (isPlainObject(host) ? host.name : undefined);
  if (winlog.record_id !== undefined) flat.RecordNumber = winlog.record_id;
  if (typeof record['@timestamp'] === 'string') flat['@timestamp'] = record['@timestamp'];
  if (typeof record.message === 'string') flat.Message = record.message;
  const keywords = winlog.keywords;
  if (Array.isArray(keywords)) {
    if (keywords.includes('Audit Failure')) flat.EventType = 'AUDIT_FAILURE';
    else if (keywords.includes('Audit Success')) flat.EventType = 'AUDIT_SUCCESS';
  }
  return flat;
}
