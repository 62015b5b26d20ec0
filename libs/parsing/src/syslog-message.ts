import { assignField, type EcsObject } from './ecs-fields';
import { describePriority } from './syslog-priority';

/** RFC 5424 STRUCTURED-DATA: SD-ID → PARAM-NAME → value (an array when a name repeats). */
export type StructuredData = Record<string, Record<string, string | string[]>>;

/** A syslog message split into its header fields, before any ECS mapping. */
export interface SyslogMessage {
  format: 'rfc5424' | 'rfc3164';
  priority: number;
  /** True when the line had no PRI and the RFC 3164 default (user.notice) was assumed. */
  priorityAssumed: boolean;
  version?: number;
  /** UTC ISO-8601; absent when the sender sent none (NILVALUE, or RFC 3164 without a timestamp). */
  timestamp?: string;
  /** The zone assumed for a timestamp that carried no offset. */
  assumedTimeZone?: string;
  hostname?: string;
  /** RFC 5424 APP-NAME, or the RFC 3164 TAG without `[pid]` and colon. */
  appName?: string;
  procId?: string;
  msgId?: string;
  structuredData?: StructuredData;
  /** Cisco-style sequence number (`<189>123: ...`). */
  sequence?: number;
  message: string;
}

const pidPattern = /^\d{1,9}$/;

/** Maps the syslog header onto ECS (`log.syslog.*`, `host`, `process`, `message`). */
export function syslogMessageToEcs(message: SyslogMessage, original: string): EcsObject {
  const { priority, facility, severity } = describePriority(message.priority);
  const syslog: EcsObject = { priority, facility, severity };
  if (message.version !== undefined) syslog.version = String(message.version);
  if (message.hostname !== undefined) syslog.hostname = message.hostname;
  if (message.appName !== undefined) syslog.appname = message.appName;
  if (message.procId !== undefined) syslog.procid = message.procId;
  if (message.msgId !== undefined) syslog.msgid = message.msgId;
  if (message.structuredData !== undefined) syslog.structured_data = message.structuredData;

  const event: EcsObject = { original };
  if (message.assumedTimeZone !== undefined) event.timezone = message.assumedTimeZone;
  if (message.sequence !== undefined) event.sequence = message.sequence;

  const document: EcsObject = {};
  if (message.timestamp !== undefined) document['@timestamp'] = message.timestamp;
  document.event = event;
  if (message.hostname !== undefined) document.host = { hostname: message.hostname };
  if (message.appName !== undefined || message.procId !== undefined) {
    const process: EcsObject = {};
    if (message.appName !== undefined) process.name = message.appName;
    if (message.procId !== undefined && pidPattern.test(message.procId)) process.pid = Number(message.procId);
    document.process = process;
  }
  document.log = { syslog };
  if (message.message.length > 0) document.message = message.message;
  return document;
}

/** Adds one SD-PARAM, turning a repeated PARAM-NAME into an array (RFC 5424 allows repeats). */
export function addStructuredDataParam(element: Record<string, string | string[]>, name: string, value: string): void {
  const existing = Object.prototype.hasOwnProperty.call(element, name) ? element[name] : undefined;
  if (existing === undefined) assignField(element, name, value);
  else if (Array.isArray(existing)) existing.push(value);
  else assignField(element, name, [existing, value]);
}
