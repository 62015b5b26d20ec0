import { assignField, lookup, type EcsObject } from './ecs-fields';
import { parseRfc3339At } from './rfc3339-timestamp';
import { sysmonEvents } from './windows-event-catalogue';
import { baseName, endpointFrom, field, parsePid, processFields, userFields, type WindowsEventRecord } from './windows-event-fields';

/**
 * Sysmon for Linux (Microsoft's SysmonForLinux) writes each event to syslog as one line of XML in
 * the Windows event schema, serialised by pugixml without declaration or indentation
 * (`outputxml.cpp`, `FormatSyslogString`):
 *
 * `<Event><System><Provider Name="Linux-Sysmon" Guid="{...}"/><EventID>1</EventID><Version>5</Version>
 * ...<Channel>Linux-Sysmon/Operational</Channel><Computer>host</Computer><Security UserId="0"/></System>
 * <EventData><Data Name="RuleName">-</Data><Data Name="UtcTime">...</Data>...</EventData></Event>`
 *
 * The shape is fixed, so this reads it exactly instead of running an XML parser on every line: a
 * message that departs from it in any way (truncated by a syslog size limit, another producer) is
 * not taken for a Sysmon event and stays an ordinary syslog line. Text is unescaped as pugixml
 * escapes it (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;` and `&#N;` for control characters).
 */

const eventPrefix = '<Event><System><Provider Name="Linux-Sysmon"';
const eventSuffix = '</EventData></Event>';
export const sysmonLinuxChannel = 'Linux-Sysmon/Operational';

/** Whether a syslog message is a Sysmon for Linux event (the extractor may still refuse it). */
export function looksLikeSysmonLinuxEvent(message: string): boolean {
  return message.startsWith(eventPrefix);
}

const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const maxFields = 128;

/** XML character data as pugixml writes it, unescaped; undefined for a malformed reference. */
function unescapeText(text: string): string | undefined {
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let out = '';
  let from = 0;
  while (amp !== -1) {
    const semicolon = text.indexOf(';', amp + 1);
    if (semicolon === -1 || semicolon - amp > 10) return undefined;
    const name = text.slice(amp + 1, semicolon);
    let char: string | undefined;
    if (name.startsWith('#x') || name.startsWith('#X')) char = codePoint(Number.parseInt(name.slice(2), 16), /^[0-9a-fA-F]{1,6}$/.test(name.slice(2)));
    else if (name.startsWith('#')) char = codePoint(Number(name.slice(1)), /^\d{1,7}$/.test(name.slice(1)));
    else char = lookup(namedEntities, name);
    if (char === undefined) return undefined;
    out += text.slice(from, amp) + char;
    from = semicolon + 1;
    amp = text.indexOf('&', from);
  }
  return out + text.slice(from);
}

function codePoint(value: number, wellFormed: boolean): string | undefined {
  return wellFormed && value <= 0x10ffff ? String.fromCodePoint(value) : undefined;
}

interface Element {
  name: string;
  attributes: Record<string, string>;
  /** Character data; undefined for an empty-element tag (`<Correlation/>`). */
  text?: string;
  end: number;
}

const namePattern = /^[A-Za-z][A-Za-z0-9_]*$/;

function isNameCode(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

/**
 * One element without child elements at `position`: `<Name a="v" ...>text</Name>` or
 * `<Name a="v"/>`, the only two forms pugixml writes for the leaves of this schema.
 */
function elementAt(xml: string, position: number): Element | undefined {
  if (xml.charCodeAt(position) !== 0x3c /* < */) return undefined;
  let cursor = position + 1;
  while (cursor < xml.length && isNameCode(xml.charCodeAt(cursor))) cursor++;
  const name = xml.slice(position + 1, cursor);
  if (!namePattern.test(name)) return undefined;
  const attributes: Record<string, string> = {};
  while (xml[cursor] === ' ') {
    const equals = xml.indexOf('="', cursor);
    if (equals === -1) return undefined;
    const attribute = xml.slice(cursor + 1, equals);
    const close = xml.indexOf('"', equals + 2);
    if (close === -1 || !namePattern.test(attribute)) return undefined;
    const value = unescapeText(xml.slice(equals + 2, close));
    if (value === undefined) return undefined;
    assignField(attributes, attribute, value);
    cursor = close + 1;
  }
  if (xml.startsWith('/>', cursor)) return { name, attributes, end: cursor + 2 };
  if (xml[cursor] !== '>') return undefined;
  const closingTag = `</${name}>`;
  const textEnd = xml.indexOf('<', cursor + 1);
  if (textEnd === -1 || !xml.startsWith(closingTag, textEnd)) return undefined;
  const text = unescapeText(xml.slice(cursor + 1, textEnd));
  if (text === undefined) return undefined;
  return { name, attributes, text, end: textEnd + closingTag.length };
}

interface SysmonLinuxRecord {
  system: Map<string, Element>;
  data: WindowsEventRecord;
}

const dataOpen = '<Data Name="';
const dataClose = '</Data>';

/**
 * The EventData fields, `<Data Name="X">text</Data>` (or `<Data Name="X"/>`) one after the other
 * from `cursor` to `end`: read with indexOf, as this runs for every Sysmon line. A name written
 * twice is not Sysmon's shape.
 */
function readEventData(xml: string, cursor: number, end: number): WindowsEventRecord | undefined {
  const data: WindowsEventRecord = {};
  let fields = 0;
  while (cursor < end) {
    if (!xml.startsWith(dataOpen, cursor) || ++fields > maxFields) return undefined;
    const nameStart = cursor + dataOpen.length;
    const nameEnd = xml.indexOf('"', nameStart);
    if (nameEnd === -1) return undefined;
    const name = xml.slice(nameStart, nameEnd);
    if (!namePattern.test(name) || Object.prototype.hasOwnProperty.call(data, name)) return undefined;
    let value = '';
    if (xml.startsWith('/>', nameEnd + 1)) {
      cursor = nameEnd + 3;
    } else {
      if (xml.charCodeAt(nameEnd + 1) !== 0x3e /* > */) return undefined;
      const textStart = nameEnd + 2;
      const textEnd = xml.indexOf('<', textStart);
      if (textEnd === -1 || !xml.startsWith(dataClose, textEnd)) return undefined;
      const text = unescapeText(xml.slice(textStart, textEnd));
      if (text === undefined) return undefined;
      value = text;
      cursor = textEnd + dataClose.length;
    }
    assignField(data, name, value);
  }
  return cursor === end ? data : undefined;
}

function readRecord(message: string): SysmonLinuxRecord | undefined {
  const xml = message.trimEnd();
  if (!xml.startsWith(eventPrefix) || !xml.endsWith(eventSuffix)) return undefined;
  const system = new Map<string, Element>();
  let cursor = '<Event><System>'.length;
  while (!xml.startsWith('</System>', cursor)) {
    const element = elementAt(xml, cursor);
    if (element === undefined || system.has(element.name) || system.size >= 32) return undefined;
    system.set(element.name, element);
    cursor = element.end;
  }
  cursor += '</System>'.length;
  if (!xml.startsWith('<EventData>', cursor)) return undefined;
  const data = readEventData(xml, cursor + '<EventData>'.length, xml.length - eventSuffix.length);
  return data === undefined ? undefined : { system, data };
}

function systemText(record: SysmonLinuxRecord, name: string): string | undefined {
  const text = record.system.get(name)?.text;
  return text === undefined || text.length === 0 ? undefined : text;
}

function systemAttribute(record: SysmonLinuxRecord, name: string, attribute: string): string | undefined {
  const element = record.system.get(name);
  return element === undefined ? undefined : lookup(element.attributes, attribute);
}

/** `2022-11-24T09:59:47.863982000Z`: when Sysmon wrote the event. */
function eventTime(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const parsed = parseRfc3339At(text, 0, { strict: false, timeZone: 'UTC' });
  return 'ok' in parsed || parsed.end !== text.length || parsed.zoneAssumed ? undefined : parsed.iso;
}

/** `UtcTime` (`2022-11-24 09:59:47.869`, UTC): the time of the event itself. */
function utcTime(text: string | undefined): string | undefined {
  if (text === undefined || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,9})?$/.test(text)) return undefined;
  const parsed = parseRfc3339At(text, 0, { strict: false, timeZone: 'UTC', spaceSeparator: true });
  return 'ok' in parsed || parsed.end !== text.length ? undefined : parsed.iso;
}

/**
 * ECS fields of one Sysmon for Linux event, or undefined when `message` is not one (see above).
 * The event is `linux.sysmon` with `event.code` the EventID; every EventData field is kept verbatim,
 * as text (`-` included), under `winlog.event_data.<Name>` as for Windows Sysmon, and the System
 * part under `winlog.*`; ECS `process`, `user`, `file`, `source`/`destination` are derived for
 * search and our own rules, as the Windows Sysmon normaliser does.
 */
export function extractSysmonLinuxEvent(message: string): EcsObject | undefined {
  const record = readRecord(message);
  if (record === undefined) return undefined;
  const eventIdText = systemText(record, 'EventID');
  if (eventIdText === undefined || !/^\d{1,5}$/.test(eventIdText)) return undefined;
  const eventId = Number(eventIdText);
  const data = record.data;

  const event: EcsObject = { module: 'linux', dataset: 'linux.sysmon', kind: 'event', code: String(eventId) };
  const kind = lookup(sysmonEvents, String(eventId));
  if (kind !== undefined) {
    event.category = kind.category;
    event.type = kind.type;
    event.action = kind.action;
  }
  const provider = systemAttribute(record, 'Provider', 'Name');
  if (provider !== undefined) event.provider = provider;

  const document: EcsObject = {};
  // TimeCreated first: Sysmon for Linux derives a process's UtcTime from the boot time, which has
  // been seen days off on virtual machines; the event time window must not turn on that.
  const timestamp = eventTime(systemAttribute(record, 'TimeCreated', 'SystemTime')) ?? utcTime(field(data, 'UtcTime'));
  if (timestamp !== undefined) document['@timestamp'] = timestamp;
  document.event = event;

  const computer = systemText(record, 'Computer');
  if (computer !== undefined) document.host = { name: computer };
  const user = userFields(data, undefined);
  if (user !== undefined) document.user = user;
  const process = processFields(data, eventId, true);
  if (process !== undefined) document.process = process;
  if (eventId === 3) {
    const source = endpointFrom(field(data, 'SourceIp'), field(data, 'SourcePort'), field(data, 'SourceHostname'));
    const destination = endpointFrom(field(data, 'DestinationIp'), field(data, 'DestinationPort'), field(data, 'DestinationHostname'));
    if (source !== undefined) document.source = source;
    if (destination !== undefined) document.destination = destination;
    const transport = field(data, 'Protocol');
    if (transport !== undefined) document.network = { transport: transport.toLowerCase() };
  }
  const target = field(data, 'TargetFilename');
  if (target !== undefined && (eventId === 11 || eventId === 23)) document.file = { path: target, name: baseName(target) };

  const winlog: EcsObject = { event_id: String(eventId) };
  const channel = systemText(record, 'Channel');
  if (channel !== undefined) winlog.channel = channel;
  if (provider !== undefined) winlog.provider_name = provider;
  const providerGuid = systemAttribute(record, 'Provider', 'Guid');
  if (providerGuid !== undefined) winlog.provider_guid = providerGuid;
  if (computer !== undefined) winlog.computer_name = computer;
  const recordId = systemText(record, 'EventRecordID');
  if (recordId !== undefined) winlog.record_id = recordId;
  const version = systemText(record, 'Version');
  if (version !== undefined) winlog.version = version;
  const task = systemText(record, 'Task');
  if (task !== undefined) winlog.task = task;
  const opcode = systemText(record, 'Opcode');
  if (opcode !== undefined) winlog.opcode = opcode;
  const sysmonPid = parsePid(systemAttribute(record, 'Execution', 'ProcessID'));
  if (sysmonPid !== undefined) winlog.process = { pid: sysmonPid };
  const userId = systemAttribute(record, 'Security', 'UserId');
  if (userId !== undefined) winlog.user = { identifier: userId };
  winlog.event_data = data;
  document.winlog = winlog;
  return document;
}
