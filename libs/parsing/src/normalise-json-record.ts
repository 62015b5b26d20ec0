import { inboundEventSchema } from '@soc/contracts';
import { isPlainObject, mergeEcsFields, type EcsObject } from './ecs-fields';
import { eventResult, parseFailure, type EventParseResult } from './parse-result';
import { normaliseWindowsEvent, type WindowsEventOptions } from './windows-event';
import { flattenEvtxJsonRecord, flattenWinlogbeatRecord, isEvtxJsonRecord, isWinlogbeatRecord } from './windows-record-shapes';
import { isKnownTimeZone } from './zoned-time';

export type JsonRecordOptions = WindowsEventOptions;

const maxReportedIssues = 5;

/** A flat Windows record: an `EventID` with a channel or provider beside it. */
function isFlatWindowsRecord(record: EcsObject): boolean {
  const eventId = record.EventID;
  const hasId = typeof eventId === 'number' || (typeof eventId === 'string' && /^\d{1,5}$/.test(eventId));
  return hasId && (typeof record.Channel === 'string' || typeof record.SourceName === 'string' || typeof record.ProviderName === 'string');
}

/**
 * True for a JSON record in one of the Windows shapes `normaliseJsonRecord` maps: NXLog's flat
 * record, EVTX-as-JSON, Winlogbeat/Elastic Agent (Windows Event Forwarding collectors ship theirs
 * as Winlogbeat). Cheap: the collector asks it of every JSON record.
 */
export function isWindowsJsonRecord(record: unknown): boolean {
  return isPlainObject(record) && (isFlatWindowsRecord(record) || isEvtxJsonRecord(record) || isWinlogbeatRecord(record));
}

function passThroughEcs(record: EcsObject): EventParseResult {
  const parsed = inboundEventSchema.safeParse(record);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, maxReportedIssues).map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
      return `${path}: ${issue.message}`;
    });
    const more = parsed.error.issues.length > maxReportedIssues ? ` (+${parsed.error.issues.length - maxReportedIssues} more)` : '';
    return parseFailure(`not a valid ECS event: ${issues.join('; ')}${more}`);
  }
  const event: EcsObject = { ...(parsed.data as EcsObject) };
  // The collector stamps the member from the credential; a sender may not choose it.
  delete event.organization;
  return eventResult(event);
}

/**
 * The front door for JSON input (HTTP NDJSON, or a forwarder's JSON over syslog): Windows events
 * (flat NXLog/OTRF records, EVTX-as-JSON, Winlogbeat documents) are normalised to ECS; anything
 * else must already be an ECS event and is validated against the contract, unknown fields kept.
 */
export function normaliseJsonRecord(record: unknown, options: JsonRecordOptions = {}): EventParseResult {
  try {
    if (!isPlainObject(record)) return parseFailure('JSON record must be an object');
    const timeZone = options.timeZone ?? 'UTC';
    if (!isKnownTimeZone(timeZone)) return parseFailure(`unknown time zone '${timeZone}'`);
    if (isFlatWindowsRecord(record)) return normaliseWindowsEvent(record, { timeZone });
    if (isEvtxJsonRecord(record)) return normaliseWindowsEvent(flattenEvtxJsonRecord(record), { timeZone });
    if (isWinlogbeatRecord(record)) {
      const normalised = normaliseWindowsEvent(flattenWinlogbeatRecord(record), { timeZone });
      if (!normalised.ok) return normalised;
      // What the forwarder already mapped wins over our mapping; it then passes the contract check.
      return passThroughEcs(mergeEcsFields(normalised.event as EcsObject, record));
    }
    return passThroughEcs(record);
  } catch (error) {
    return parseFailure(`internal parser error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
