import type { CefRecord } from './cef';
import { parseCefTimestamp, type CefTimestampOptions } from './cef-timestamp';
import { assignField, lookup, type EcsObject } from './ecs-fields';
import { describeEndpoint, normaliseIp, parsePort } from './network-address';
import { urlFieldsFromTarget } from './url-fields';

/** CEF severity words and the `event.severity` we give them (the top of each CEF band). */
const severityWords: Record<string, number> = { low: 3, medium: 6, high: 8, 'very-high': 10, 'very high': 10 };

// Vendor-defined fields whose meaning is given by a companion `<key>Label`.
const customFieldPattern = new RegExp(
  '^(?:cs[1-6]|cn[1-3]|cfp[1-4]|c6a[1-4]|deviceCustomDate[12]|flexString[12]|flexNumber[12]|flexDate1' +
    '|deviceCustomString[1-6]|deviceCustomNumber[1-3]|deviceCustomFloatingPoint[1-4]|deviceCustomIPv6Address[1-4])$',
);
const customDatePattern = /^(?:deviceCustomDate[12]|flexDate1)$/;

/** Full CEF key names are accepted wherever the short name is. */
const fullNames: Record<string, string> = {
  sourceAddress: 'src',
  destinationAddress: 'dst',
  sourcePort: 'spt',
  destinationPort: 'dpt',
  sourceUserName: 'suser',
  destinationUserName: 'duser',
  sourceHostName: 'shost',
  destinationHostName: 'dhost',
  sourceMacAddress: 'smac',
  destinationMacAddress: 'dmac',
  deviceAction: 'act',
  eventOutcome: 'outcome',
  deviceReceiptTime: 'rt',
  endTime: 'end',
  startTime: 'start',
  deviceAddress: 'dvc',
  deviceHostName: 'dvchost',
  transportProtocol: 'proto',
  applicationProtocol: 'app',
  message: 'msg',
  fileName: 'fname',
  filePath: 'filePath',
};

/** Numeric 0–10, or Low/Medium/High/Very-High; undefined otherwise. */
export function cefSeverityToNumber(severity: string): number | undefined {
  if (/^\d{1,2}$/.test(severity)) {
    const value = Number(severity);
    return value <= 10 ? value : undefined;
  }
  return lookup(severityWords, severity.toLowerCase());
}

function normaliseOutcome(outcome: string): 'success' | 'failure' | 'unknown' {
  const lower = outcome.toLowerCase();
  if (lower.startsWith('succe') || lower === 'allow' || lower === 'allowed') return 'success';
  if (lower.startsWith('fail') || lower === 'denied' || lower === 'deny') return 'failure';
  return 'unknown';
}

function endpoint(address: string | undefined, port: string | undefined, host: string | undefined, mac: string | undefined): EcsObject | undefined {
  const fields: EcsObject = {};
  if (address !== undefined) {
    fields.address = address;
    const ip = normaliseIp(address);
    if (ip !== undefined) fields.ip = ip;
  }
  if (host !== undefined) {
    const described = describeEndpoint(host);
    if (fields.address === undefined) fields.address = host;
    if (described.ip !== undefined && fields.ip === undefined) fields.ip = described.ip;
    if (described.domain !== undefined) fields.domain = described.domain;
  }
  const parsedPort = parsePort(port);
  if (parsedPort !== undefined) fields.port = parsedPort;
  if (mac !== undefined) fields.mac = mac;
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/**
 * Maps a CEF record onto ECS. Standard keys go to their ECS fields, labelled custom fields
 * (`cs1`..`cs6` with `cs1Label`, and the number/float/IPv6/date variants) to `labels`, and every
 * extension is also kept verbatim under `cef.extensions` so no vendor field is lost.
 */
export function cefRecordToEcs(record: CefRecord, options: CefTimestampOptions): EcsObject {
  const ext: Record<string, string> = {};
  for (const [key, value] of Object.entries(record.extensions)) assignField(ext, lookup(fullNames, key) ?? key, value);
  const get = (key: string): string | undefined => (Object.prototype.hasOwnProperty.call(ext, key) ? ext[key] : undefined);

  const document: EcsObject = {};
  const timestampText = get('rt') ?? get('end') ?? get('start');
  const timestamp = timestampText === undefined ? undefined : parseCefTimestamp(timestampText, options);
  if (timestamp !== undefined) document['@timestamp'] = timestamp;

  const event: EcsObject = { module: 'cef', dataset: 'cef.log' };
  if (record.deviceEventClassId.length > 0) event.code = record.deviceEventClassId;
  const severity = cefSeverityToNumber(record.severity);
  if (severity !== undefined) event.severity = severity;
  const action = get('act');
  if (action !== undefined) event.action = action;
  const outcome = get('outcome');
  if (outcome !== undefined) event.outcome = normaliseOutcome(outcome);
  document.event = event;

  const observer: EcsObject = {};
  if (record.deviceVendor.length > 0) observer.vendor = record.deviceVendor;
  if (record.deviceProduct.length > 0) observer.product = record.deviceProduct;
  if (record.deviceVersion.length > 0) observer.version = record.deviceVersion;
  const deviceAddress = get('dvc');
  if (deviceAddress !== undefined) {
    const ip = normaliseIp(deviceAddress);
    if (ip !== undefined) observer.ip = [ip];
    else observer.hostname = deviceAddress;
  }
  const deviceHost = get('dvchost');
  if (deviceHost !== undefined) observer.hostname = deviceHost;
  if (Object.keys(observer).length > 0) document.observer = observer;

  const source = endpoint(get('src'), get('spt'), get('shost'), get('smac'));
  if (source !== undefined) document.source = source;
  const destination = endpoint(get('dst'), get('dpt'), get('dhost'), get('dmac'));
  if (destination !== undefined) document.destination = destination;

  const sourceUser = get('suser');
  const destinationUser = get('duser');
  if (sourceUser !== undefined || destinationUser !== undefined) {
    const user: EcsObject = { name: sourceUser ?? destinationUser };
    if (sourceUser !== undefined && destinationUser !== undefined && destinationUser !== sourceUser) {
      user.target = { name: destinationUser };
    }
    document.user = user;
  }

  const request = get('request');
  if (request !== undefined) document.url = urlFieldsFromTarget(request);
  const method = get('requestMethod');
  if (method !== undefined) document.http = { request: { method } };
  const userAgent = get('requestClientApplication');
  if (userAgent !== undefined) document.user_agent = { original: userAgent };

  const network: EcsObject = {};
  const transport = get('proto');
  if (transport !== undefined) network.transport = transport.toLowerCase();
  const protocol = get('app');
  if (protocol !== undefined) network.protocol = protocol.toLowerCase();
  if (Object.keys(network).length > 0) document.network = network;

  const fileName = get('fname');
  const filePath = get('filePath');
  if (fileName !== undefined || filePath !== undefined) {
    const file: EcsObject = {};
    if (fileName !== undefined) file.name = fileName;
    if (filePath !== undefined) file.path = filePath;
    document.file = file;
  }

  const labels: Record<string, string> = {};
  for (const key of Object.keys(ext)) {
    if (!customFieldPattern.test(key)) continue;
    const label = get(`${key}Label`);
    let value = ext[key];
    if (customDatePattern.test(key)) value = parseCefTimestamp(value, options) ?? value;
    assignField(labels, label ?? key, value);
  }
  if (Object.keys(labels).length > 0) document.labels = labels;

  const message = get('msg') ?? record.name;
  if (message.length > 0) document.message = message;
  document.cef = {
    version: String(record.version),
    device: {
      vendor: record.deviceVendor,
      product: record.deviceProduct,
      version: record.deviceVersion,
      event_class_id: record.deviceEventClassId,
    },
    name: record.name,
    severity: record.severity,
    extensions: record.extensions,
  };
  return document;
}
