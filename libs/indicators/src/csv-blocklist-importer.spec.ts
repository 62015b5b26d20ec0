import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importCsvBlocklist } from './csv-blocklist-importer';
import { IndicatorIndex } from './indicator-index';

const INTEL_DIR = path.resolve(__dirname, '../../../../shared/data/threat-intel');
const feodoText = readFileSync(path.join(INTEL_DIR, 'abusech-feodo/ipblocklist.csv'), 'utf8');
const urlhausText = readFileSync(path.join(INTEL_DIR, 'abusech-urlhaus/urlhaus_online_sample_2000.csv'), 'utf8');

// Data rows counted without the importer: non-comment, non-blank lines after the header line.
const dataRows = (text: string): string[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .slice(1);

const FEODO_HEADER = '"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"';
const URLHAUS_HEADER = 'id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter';

describe('importCsvBlocklist', () => {
  describe('the Feodo Tracker IP blocklist', () => {
    const result = importCsvBlocklist(feodoText);

    it('imports every row, matching the count and the footer', () => {
      expect(result.errors).toEqual([]);
      expect(result.indicators).toHaveLength(dataRows(feodoText).length);
      expect(result.indicators).toHaveLength(28);
    });

    it('maps a row to an IPv4 indicator with its C2 context', () => {
      expect(result.indicators[0]).toEqual({
        id: 'feodotracker:192.9.135.73:1194',
        type: 'ipv4',
        value: '192.9.135.73',
        source: 'abuse.ch Feodo Tracker',
        confidence: 50,
        tlp: 'clear',
        valid_from: new Date('2023-05-23T17:51:44Z'),
        revoked: false,
        labels: ['botnet-c2', 'Pikabot', 'c2-status:online'],
        description: 'Pikabot C2 on port 1194, last online 2024-04-01',
        port: 1194,
      });
      expect(result.indicators.at(-1)?.value).toBe('172.233.221.61');
    });

    it('yields indicators the index matches from their first-seen time on', () => {
      const index = new IndicatorIndex();
      for (const indicator of result.indicators) index.add(indicator);
      expect(index.matchIp('84.247.157.112', Date.parse('2024-04-04T00:00:00Z')).indicators).toHaveLength(1);
      expect(index.matchIp('84.247.157.112', Date.parse('2024-03-01T00:00:00Z')).indicators).toHaveLength(0);
    });

    it('reports a truncated download through the footer count', () => {
      const lines = feodoText.split('\n');
      const lastRow = lines.findIndex((line) => line.startsWith('# END'));
      const truncated = [...lines.slice(0, lastRow - 1), ...lines.slice(lastRow)].join('\n');
      expect(importCsvBlocklist(truncated).errors).toEqual([{ line: lastRow, reason: 'footer announces 28 entries but 27 rows were read' }]);
    });
  });

  describe('the URLhaus URL list', () => {
    const result = importCsvBlocklist(urlhausText);

    it('imports every row as a URL indicator', () => {
      expect(result.errors).toEqual([]);
      expect(result.indicators).toHaveLength(dataRows(urlhausText).length);
      expect(result.indicators).toHaveLength(2000);
      expect(new Set(result.indicators.map((i) => i.type))).toEqual(new Set(['url']));
    });

    it('keeps tags, threat and the URLhaus link', () => {
      expect(result.indicators[0]).toEqual({
        id: 'urlhaus:3520667',
        type: 'url',
        value: 'http://117.209.87.242:60905/bin.sh',
        source: 'abuse.ch URLhaus',
        confidence: 50,
        tlp: 'clear',
        valid_from: new Date('2025-04-21T12:35:06Z'),
        revoked: false,
        labels: ['malware_download', '32-bit', 'elf', 'mips', 'Mozi'],
        reference: 'https://urlhaus.abuse.ch/url/3520667/',
      });
    });

    it('yields indicators the index matches however the URL is spelled in a proxy log', () => {
      const index = new IndicatorIndex();
      for (const indicator of result.indicators) index.add(indicator);
      const at = Date.parse('2025-04-22T00:00:00Z');
      expect(index.matchUrl('HTTP://185.39.17.162:80/files/fate/random.exe#x', at).indicators.map((i) => i.id)).toEqual(['urlhaus:3511782']);
    });

    it('also reads the published download whose header is a comment', () => {
      const published = ['################', `# ${URLHAUS_HEADER}`, ...urlhausText.split('\n').slice(1, 4)].join('\n');
      const own = importCsvBlocklist(published);
      expect(own.errors).toEqual([]);
      expect(own.indicators.map((i) => i.id)).toEqual(['urlhaus:3520667', 'urlhaus:3520666', 'urlhaus:3520665']);
    });
  });

  it('handles CRLF line ends', () => {
    const crlf = [FEODO_HEADER, '"2024-02-08 19:20:49","85.239.243.155","5000","offline","2024-03-11","Pikabot"', ''].join('\r\n');
    expect(importCsvBlocklist(crlf).indicators.map((i) => i.value)).toEqual(['85.239.243.155']);
  });

  it('uses the configured source, TLP and confidence', () => {
    const text = [FEODO_HEADER, '"2024-02-08 19:20:49","85.239.243.155","5000","offline","2024-03-11","Pikabot"'].join('\n');
    expect(importCsvBlocklist(text, { source: 'feodo', tlp: 'green', confidence: 80 }).indicators[0]).toMatchObject({
      source: 'feodo',
      tlp: 'green',
      confidence: 80,
    });
  });

  it.each([
    ['"2024-02-08 19:20:49","85.239.243.999","5000","offline","2024-03-11","Pikabot"', "value: invalid IP address '85.239.243.999'"],
    [
      '"2024-02-30 19:20:49","85.239.243.155","5000","offline","2024-03-11","Pikabot"',
      "invalid first_seen_utc '2024-02-30 19:20:49': expected 'YYYY-MM-DD HH:MM:SS' (UTC)",
    ],
    ['"yesterday","85.239.243.155","5000","offline","2024-03-11","Pikabot"', "invalid first_seen_utc 'yesterday': expected 'YYYY-MM-DD HH:MM:SS' (UTC)"],
    ['"2024-02-08 19:20:49","85.239.243.155","5000"', 'expected 6 fields as in the header, found 3'],
    ['"2024-02-08 19:20:49","85.239.243.155,"5000","offline","2024-03-11","Pikabot"', "unexpected '5' after closing quote at column 40"],
  ])('reports a bad Feodo row with its line number: %s', (row, reason) => {
    const text = ['# comment', FEODO_HEADER, '"2024-02-08 19:20:49","85.239.243.155","5000","offline","2024-03-11","Pikabot"', row].join('\n');
    const result = importCsvBlocklist(text);
    expect(result.errors).toEqual([{ line: 4, reason }]);
    expect(result.indicators).toHaveLength(1);
  });

  it('reports a bad URLhaus row', () => {
    const text = [URLHAUS_HEADER, '"1","2025-04-21 12:35:06","/bin.sh","online","","malware_download","","",""'].join('\n');
    expect(importCsvBlocklist(text).errors).toEqual([{ line: 2, reason: "value: invalid URL '/bin.sh': it is a path without a host" }]);
  });

  it('reports a file without a recognised header once, at the first data line', () => {
    expect(importCsvBlocklist('# just comments\nip,port\n1.2.3.4,80\n')).toEqual({
      indicators: [],
      errors: [
        {
          line: 2,
          reason:
            'no recognised header before the data: expected the columns of abuse.ch Feodo Tracker (first_seen_utc, dst_ip) or abuse.ch URLhaus (dateadded, url)',
        },
      ],
    });
  });
});
