import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importThreatFox } from './threatfox-importer';

// No ThreatFox download is in ../shared/data/threat-intel. This sample is written by hand from
// ThreatFox's documented export shape (https://threatfox.abuse.ch/export/: an object keyed by
// IOC id, each an array of one entry); the addresses and names are documentation values.
const SAMPLE = readFileSync(path.join(__dirname, 'threatfox-export.sample.json'), 'utf8');

const exportEntry = (fields: Record<string, unknown>) => ({
  ioc_value: '192.0.2.1:80',
  ioc_type: 'ip:port',
  threat_type: 'botnet_cc',
  malware_printable: 'Unknown malware',
  first_seen_utc: '2024-04-04 10:00:08',
  last_seen_utc: null,
  confidence_level: 50,
  reference: null,
  tags: null,
  ...fields,
});

describe('importThreatFox', () => {
  describe('the export sample', () => {
    const result = importThreatFox(SAMPLE);

    it('imports every IOC, an ip:port as the address with its port', () => {
      expect(result.errors).toEqual([]);
      expect(result.indicators.map((i) => [i.id, i.type, i.value, i.port])).toEqual([
        ['threatfox:1250101', 'ipv4', '192.0.2.77', 443],
        ['threatfox:1250102', 'ipv6', '2001:db8::77', 8443],
        ['threatfox:1250103', 'domain', 'update-check.example', undefined],
        ['threatfox:1250104', 'url', 'http://payload.example/bins/x86', undefined],
        ['threatfox:1250105', 'sha256', '0f3f9a2d1b0c4e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b', undefined],
        ['threatfox:1250106', 'md5', '0123456789abcdef0123456789abcdef', undefined],
      ]);
    });

    it('takes confidence, time, labels, description and reference from the entry', () => {
      const [cobalt, sliver] = result.indicators;
      expect(cobalt).toMatchObject({
        source: 'abuse.ch ThreatFox',
        tlp: 'clear',
        confidence: 100,
        valid_from: new Date('2024-04-04T10:00:08Z'),
        labels: ['botnet_cc', 'Cobalt Strike', 'c2', 'CobaltStrike'],
        description: 'Cobalt Strike botnet_cc',
        reference: 'https://threatfox.abuse.ch/ioc/1250101/',
      });
      expect(cobalt?.valid_until).toBeUndefined();
      expect(sliver).toMatchObject({
        confidence: 75,
        labels: ['botnet_cc', 'Sliver'],
        description: 'Sliver botnet_cc, last seen 2024-04-05 09:00:00',
        reference: 'https://example.org/report/sliver',
      });
    });
  });

  it('reads the API answer shape (data array, ioc, first_seen with UTC, tags as an array)', () => {
    const answer = {
      query_status: 'ok',
      data: [
        {
          id: '41',
          ioc: 'evil[.]example:8080',
          ioc_type: 'ip:port',
          threat_type: 'botnet_cc',
          malware_printable: 'Emotet',
          first_seen: '2021-03-29 07:52:28 UTC',
          confidence_level: 90,
          tags: ['emotet', 'epoch4'],
        },
        { id: 42, ioc: 'evil[.]example', ioc_type: 'domain', first_seen: '2021-03-29 07:52:28 UTC', tags: null },
      ],
    };
    const result = importThreatFox(answer, { source: 'ThreatFox API' });
    expect(result.indicators.map((i) => [i.id, i.type, i.value, i.source, i.labels])).toEqual([
      ['threatfox:42', 'domain', 'evil.example', 'ThreatFox API', []],
    ]);
    expect(result.errors).toEqual([
      {
        path: 'data[0]',
        objectId: '41',
        reason: "ip:port 'evil[.]example:8080': value: invalid IP address 'evil.example' (refanged from 'evil[.]example:8080')",
      },
    ]);
  });

  it('reports each bad entry with its IOC id and why, and keeps the good ones', () => {
    const document = {
      '1': [exportEntry({ ioc_type: 'sha3_384_hash', ioc_value: 'ab' })],
      '2': [exportEntry({ first_seen_utc: '2024-02-30 10:00:00' })],
      '3': [exportEntry({ ioc_value: '192.0.2.1:99999' })],
      '4': 'not an array',
      '5': [exportEntry({})],
      '6': [exportEntry({ ioc_value: undefined })],
    };
    const result = importThreatFox(document);
    expect(result.indicators.map((i) => i.id)).toEqual(['threatfox:5']);
    // Structure problems are found while collecting entries, before entries are converted.
    expect(result.errors).toEqual([
      { path: '["4"]', objectId: '4', reason: 'expected an array of IOC entries under the IOC id' },
      { path: '["1"][0]', objectId: '1', reason: "unsupported ioc_type 'sha3_384_hash': the index cannot match it" },
      { path: '["2"][0]', objectId: '2', reason: "invalid first_seen_utc '2024-02-30 10:00:00': expected 'YYYY-MM-DD HH:MM:SS' (UTC)" },
      { path: '["3"][0]', objectId: '3', reason: "ip:port '192.0.2.1:99999': value: the port 99999 in '192.0.2.1:99999' is above 65535" },
      { path: '["6"][0]', objectId: '6', reason: "entry needs string 'ioc_value' (or 'ioc') and 'ioc_type'" },
    ]);
  });

  it('refuses a document that is neither shape, an API error answer, and text that is not JSON', () => {
    expect(importThreatFox([]).errors).toEqual([{ path: '$', reason: 'not a ThreatFox export: expected an object keyed by IOC id, or an API answer' }]);
    expect(importThreatFox({ query_status: 'no_result', data: 'Your search did not yield any results' }).errors).toEqual([
      { path: 'query_status', reason: "ThreatFox answered 'no_result' without a data array" },
    ]);
    expect(importThreatFox('{').errors[0]?.reason).toMatch(/^invalid JSON: /);
  });
});
