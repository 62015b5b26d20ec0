import type { SocEvent } from '@soc/contracts';

/**
 * Test support: Windows events as Hayabusa's `sample-evtx` (event XML) gives them, in the shape our
 * parsers produce (EVTX-as-JSON goes the collector's own way: testing/sigmahq.ts): System fields in
 * `event.code`, `winlog.channel`, `winlog.computer_name`, `host.name`, EventData verbatim (as text)
 * in `winlog.event_data`. Not the production parser (libs/parsing), only enough to check rules.
 */
export interface WindowsRecord {
  eventId: number;
  channel: string;
  computer: string;
  time: string;
  provider?: string;
  data: Record<string, string>;
}

const datasetByChannel: Record<string, string> = {
  Security: 'windows.security',
  System: 'windows.system',
  'Microsoft-Windows-Sysmon/Operational': 'windows.sysmon_operational',
};

export function fromEventXml(xml: string): WindowsRecord {
  const tag = (name: string): string => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? '';
  const data: Record<string, string> = {};
  for (const match of xml.matchAll(/<Data Name="([^"]+)">([^<]*)<\/Data>/g)) data[match[1]] = match[2];
  return {
    eventId: Number(tag('EventID')),
    channel: tag('Channel'),
    computer: tag('Computer'),
    time: /<TimeCreated SystemTime="([^"]+)"/.exec(xml)?.[1] ?? '',
    provider: /<Provider Name="([^"]+)"/.exec(xml)?.[1],
    data,
  };
}

export function windowsEvent(record: WindowsRecord, id: string, member = 'test-member'): SocEvent {
  const timestamp = new Date(record.time).toISOString();
  return {
    '@timestamp': timestamp,
    event: {
      id,
      ingested: timestamp,
      code: String(record.eventId),
      module: 'windows',
      dataset: datasetByChannel[record.channel] ?? `windows.${record.channel.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`,
    },
    host: { name: record.computer },
    winlog: { channel: record.channel, computer_name: record.computer, provider_name: record.provider, event_data: record.data },
    organization: { id: member },
  };
}
