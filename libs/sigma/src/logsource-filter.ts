import type { LogsourceFamily } from './field-mapping';
import type { Logsource } from './rule.schema';

/**
 * What a Sigma `logsource` means in our events. Parsers stamp every event with `event.dataset`
 * (`<family>.<source>`, see FIELD-MAPPING.md); a rule's log source becomes the set of datasets it
 * can match, plus, for Sysmon categories, the EventIDs the category stands for. The rule index
 * groups rules by dataset, so an event only ever meets the rules of its own log source.
 */
export interface LogsourceTarget {
  family: LogsourceFamily;
  /** Exact datasets, or every dataset of the family when the rule names only the product. */
  datasets: readonly string[] | 'family';
  /** Sysmon categories: the rule only sees events with one of these `event.code` values. */
  eventCodes?: readonly string[];
}

const sysmonDataset = 'windows.sysmon_operational';
const sysmon = (...eventCodes: string[]): LogsourceTarget => ({ family: 'windows', datasets: [sysmonDataset], eventCodes });

/** Keyed `product/service/category`; the datasets are those the parsers in libs/parsing emit. */
const supported: Readonly<Record<string, LogsourceTarget>> = {
  'linux//': { family: 'linux', datasets: 'family' },
  // Everything a Linux host writes to auth.log / secure.
  'linux/auth/': { family: 'linux', datasets: ['linux.auth', 'linux.sshd', 'linux.sudo', 'linux.pam'] },
  'linux/sshd/': { family: 'linux', datasets: ['linux.sshd'] },
  'linux/sudo/': { family: 'linux', datasets: ['linux.sudo'] },
  'linux/vsftpd/': { family: 'linux', datasets: ['linux.vsftpd'] },
  'linux/cron/': { family: 'linux', datasets: ['linux.cron'] },
  'linux/syslog/': { family: 'linux', datasets: ['linux.syslog'] },
  'windows//': { family: 'windows', datasets: 'family' },
  'windows/security/': { family: 'windows', datasets: ['windows.security'] },
  'windows/system/': { family: 'windows', datasets: ['windows.system'] },
  'windows/application/': { family: 'windows', datasets: ['windows.application'] },
  'windows/sysmon/': { family: 'windows', datasets: [sysmonDataset] },
  'windows/powershell/': { family: 'windows', datasets: ['windows.powershell_operational'] },
  'windows/powershell-classic/': { family: 'windows', datasets: ['windows.powershell'] },
  'windows/ntlm/': { family: 'windows', datasets: ['windows.microsoft_windows_ntlm_operational'] },
  'windows//process_creation': sysmon('1'),
  'windows//network_connection': sysmon('3'),
  'windows//process_termination': sysmon('5'),
  'windows//driver_load': sysmon('6'),
  'windows//image_load': sysmon('7'),
  'windows//create_remote_thread': sysmon('8'),
  'windows//process_access': sysmon('10'),
  'windows//file_event': sysmon('11'),
  'windows//registry_event': sysmon('12', '13', '14'),
  'windows//registry_set': sysmon('13'),
  'windows//create_stream_hash': sysmon('15'),
  'windows//pipe_created': sysmon('17', '18'),
  'windows//dns_query': sysmon('22'),
  'windows//file_delete': sysmon('23', '26'),
  '//webserver': { family: 'web', datasets: ['apache.access', 'nginx.access', 'iis.access'] },
  // A web server's error log, as SigmaHQ names it (`service: apache` / `service: nginx`, no product).
  '/apache/': { family: 'web', datasets: ['apache.error'] },
  '/nginx/': { family: 'web', datasets: ['nginx.error'] },
  '//proxy': { family: 'web', datasets: ['proxy.access', 'squid.access'] },
  '//firewall': { family: 'firewall', datasets: ['firewall.traffic'] },
  '//dns': { family: 'dns', datasets: ['dns.query'] },
};

/** Every log source we accept, for documentation and the import report. */
export const supportedLogsources: readonly string[] = Object.keys(supported).map(describeKey);

export function resolveLogsource(logsource: Logsource): { target: LogsourceTarget } | { error: string } {
  const key = `${logsource.product ?? ''}/${logsource.service ?? ''}/${logsource.category ?? ''}`;
  const target = supported[key];
  if (target) return { target };
  return { error: `unsupported logsource ${describeKey(key)}` };
}

/** Whether an event of this dataset belongs to the target's log source. */
export function acceptsDataset(target: LogsourceTarget, dataset: string): boolean {
  if (target.datasets === 'family') return dataset.startsWith(`${target.family}.`);
  return target.datasets.includes(dataset);
}

function describeKey(key: string): string {
  const [product, service, category] = key.split('/');
  const parts = [product && `product=${product}`, service && `service=${service}`, category && `category=${category}`].filter(Boolean);
  return `(${parts.join(' ')})`;
}
