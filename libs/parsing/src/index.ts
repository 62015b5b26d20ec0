// @soc/parsing: raw log input → ECS event fields (the `InboundEvent` shape of @soc/contracts).
// Pure TypeScript: no Nest, no Redis, no Elasticsearch.

export type { EventParseResult, ParseFailure } from './parse-result';
export type { EcsObject } from './ecs-fields';

// Front doors
export { parseSyslogLine, type SyslogLineOptions } from './parse-syslog-line';
export { normaliseJsonRecord, type JsonRecordOptions } from './normalise-json-record';

// TCP framing
export { SyslogFramer, type SyslogFrame, type SyslogFramerOptions, type SyslogFraming } from './syslog-framer';

// Syslog
export { parseRfc5424, type SyslogParseResult } from './rfc5424';
export { parseRfc3164, type Rfc3164Options } from './rfc3164';
export { syslogMessageToEcs, type StructuredData, type SyslogMessage } from './syslog-message';
export { syslogFacilityNames, syslogSeverityNames } from './syslog-priority';

// CEF
export { parseCef, type CefParseResult, type CefRecord } from './cef';
export { cefRecordToEcs, cefSeverityToNumber } from './cef-to-ecs';

// Windows
export { normaliseWindowsEvent, windowsChannelDataset, type WindowsEventOptions, type WindowsEventRecord } from './windows-event';

// Program messages and web-server logs
export { extractProgramMessage, type ProgramMessageOptions } from './program-message';
export { extractSshdMessage } from './sshd-message';
export { extractPamMessage } from './pam-message';
export { extractSudoMessage } from './sudo-message';
export { parseAccessLogLine, type AccessLogOptions, type WebServer } from './access-log';
export { parseApacheErrorLogLine, type WebErrorLogOptions } from './apache-error-log';
export { parseNginxErrorLogLine } from './nginx-error-log';
export { decodeUrlForMatching } from './url-decoding';
export { withDecodedUrl } from './url-fields';
export { parseLogLine, logLineFormats, type LogLineFormat, type LogLineOptions } from './parse-log-line';

// Time
export { isKnownTimeZone } from './zoned-time';
export {
  clockSkewToleranceMs,
  fileDisorderToleranceMs,
  inferInstantsInFileOrder,
  inferYear,
  lineReferenceTimes,
  yearlessTimeAtLineStart,
  type YearlessTime,
} from './year-inference';
export { isWindowsJsonRecord } from './normalise-json-record';
