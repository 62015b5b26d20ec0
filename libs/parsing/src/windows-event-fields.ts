import { lookup, type EcsObject } from './ecs-fields';
import { isHostname, normaliseIp, parsePort } from './network-address';
import type { UserRole } from './windows-event-catalogue';

/**
 * Reading ECS `user`, `source`/`destination` and `process` out of Windows EventData. Windows
 * writes `-` for "none" and hex for process ids; both are handled here once.
 */

/** A Windows event as one flat object: `EventID`, `Channel`, `Hostname`, ... and EventData names. */
export type WindowsEventRecord = Record<string, unknown>;

/** A field as text, or undefined when absent, empty or Windows' `-` placeholder. */
export function field(record: WindowsEventRecord, key: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(record, key)) return undefined;
  const value = record[key];
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length === 0 || trimmed === '-' ? undefined : trimmed;
}

/** Decimal or `0x`-hex process id; 0 (no process) is dropped. */
export function parsePid(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^0x[0-9a-f]{1,8}$/i.test(text) ? Number.parseInt(text, 16) : /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(value) && value > 0 && value <= 0x7fffffff ? value : undefined;
}

export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
}

function account(name: string | undefined, domain: string | undefined): EcsObject | undefined {
  if (name === undefined) return undefined;
  const user: EcsObject = {};
  const at = name.indexOf('@');
  // Kerberos events carry user principal names (`alice@EXAMPLE.LOCAL`).
  if (at > 0) {
    user.name = name.slice(0, at);
    user.domain = domain ?? name.slice(at + 1);
  } else {
    user.name = name;
    if (domain !== undefined) user.domain = domain;
  }
  return user;
}

/** `DOMAIN\name` as written by Sysmon's `User`. */
function qualifiedAccount(text: string | undefined): EcsObject | undefined {
  if (text === undefined) return undefined;
  const slash = text.indexOf('\\');
  return slash === -1 ? { name: text } : { name: text.slice(slash + 1), domain: text.slice(0, slash) };
}

/** `user` with `user.target`/`user.effective` beside it; either account may be missing. */
function withRelated(user: EcsObject | undefined, role: 'target' | 'effective', other: EcsObject | undefined): EcsObject | undefined {
  if (other === undefined) return user;
  return { ...user, [role]: other };
}

function subjectAccount(record: WindowsEventRecord): EcsObject | undefined {
  return account(field(record, 'SubjectUserName'), field(record, 'SubjectDomainName'));
}

function targetAccount(record: WindowsEventRecord): EcsObject | undefined {
  return account(field(record, 'TargetUserName'), field(record, 'TargetDomainName'));
}

export function userFields(record: WindowsEventRecord, role: UserRole | undefined): EcsObject | undefined {
  switch (role) {
    case 'target':
      return targetAccount(record);
    case 'subject':
      return subjectAccount(record);
    case 'subject-on-target':
      return withRelated(subjectAccount(record), 'target', targetAccount(record));
    case 'subject-as-target': {
      const subject = subjectAccount(record);
      // Without a subject, the explicit credentials are the only account we know.
      return subject === undefined ? targetAccount(record) : withRelated(subject, 'effective', targetAccount(record));
    }
    default:
      return qualifiedAccount(field(record, 'User'));
  }
}

export function endpointFrom(address: string | undefined, port: string | undefined, name?: string): EcsObject | undefined {
  const ip = address === undefined ? undefined : normaliseIp(address);
  const portNumber = parsePort(port);
  const domain = name !== undefined && isHostname(name) ? name : undefined;
  if (ip === undefined && domain === undefined) return undefined;
  // `describeEndpoint` of an address that is an IP: the address as logged, then the IP.
  const endpoint: EcsObject = ip === undefined ? {} : { address, ip };
  if (portNumber !== undefined && portNumber > 0 && ip !== undefined) endpoint.port = portNumber;
  if (domain !== undefined) endpoint.domain = domain;
  return endpoint;
}

function hashes(text: string | undefined): EcsObject | undefined {
  if (text === undefined) return undefined;
  const result: EcsObject = {};
  const lengths: Record<string, number> = { md5: 32, sha1: 40, sha256: 64, imphash: 32 };
  for (const pair of text.split(',')) {
    const equals = pair.indexOf('=');
    const algorithm = pair.slice(0, equals).trim().toLowerCase();
    const value = pair.slice(equals + 1).trim();
    if (lookup(lengths, algorithm) === value.length && /^[0-9a-f]+$/i.test(value)) result[algorithm] = value.toLowerCase();
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

export function processFields(record: WindowsEventRecord, eventId: number, isSysmon: boolean): EcsObject | undefined {
  const process: EcsObject = {};
  let executable: string | undefined;
  if (isSysmon) {
    executable = field(record, eventId === 10 || eventId === 8 ? 'SourceImage' : 'Image');
    const pid = parsePid(field(record, eventId === 10 || eventId === 8 ? 'SourceProcessId' : 'ProcessId'));
    if (pid !== undefined) process.pid = pid;
    const entityId = field(record, eventId === 10 || eventId === 8 ? 'SourceProcessGUID' : 'ProcessGuid');
    if (entityId !== undefined) process.entity_id = entityId;
  } else if (eventId === 4688) {
    executable = field(record, 'NewProcessName');
    const pid = parsePid(field(record, 'NewProcessId'));
    if (pid !== undefined) process.pid = pid;
  } else {
    executable = field(record, 'ProcessName');
    const pid = parsePid(field(record, 'ProcessId'));
    if (pid !== undefined && executable !== undefined) process.pid = pid;
  }
  if (executable !== undefined) {
    process.executable = executable;
    process.name = baseName(executable);
  }
  const commandLine = field(record, 'CommandLine');
  if (commandLine !== undefined) process.command_line = commandLine;
  const workingDirectory = field(record, 'CurrentDirectory');
  if (workingDirectory !== undefined) process.working_directory = workingDirectory;
  if (isSysmon && eventId === 1) {
    const hash = hashes(field(record, 'Hashes'));
    if (hash !== undefined) {
      const { imphash, ...digests } = hash;
      if (Object.keys(digests).length > 0) process.hash = digests;
      if (imphash !== undefined) process.pe = { imphash };
    }
    const originalFileName = field(record, 'OriginalFileName');
    if (originalFileName !== undefined) process.pe = { ...(process.pe as EcsObject | undefined), original_file_name: originalFileName };
  }
  const parent: EcsObject = {};
  const parentExecutable = field(record, isSysmon ? 'ParentImage' : eventId === 4688 ? 'ParentProcessName' : '');
  if (parentExecutable !== undefined) {
    parent.executable = parentExecutable;
    parent.name = baseName(parentExecutable);
  }
  const parentCommandLine = field(record, 'ParentCommandLine');
  if (parentCommandLine !== undefined) parent.command_line = parentCommandLine;
  const parentPid = parsePid(field(record, isSysmon ? 'ParentProcessId' : eventId === 4688 ? 'ProcessId' : ''));
  if (parentPid !== undefined) parent.pid = parentPid;
  const parentEntity = field(record, 'ParentProcessGuid');
  if (parentEntity !== undefined) parent.entity_id = parentEntity;
  if (Object.keys(parent).length > 0) process.parent = parent;
  return Object.keys(process).length > 0 ? process : undefined;
}
