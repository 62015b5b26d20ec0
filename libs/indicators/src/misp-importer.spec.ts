import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importMispEvent } from './misp-importer';

const MISP_DIR = path.resolve(__dirname, '../../../../shared/data/threat-intel/misp-pymisp/tests');
const readEvent = (file: string): string => readFileSync(path.join(MISP_DIR, file), 'utf8');

const EVENT_UUID = '5f1e8a52-0000-4000-8000-00000000e001';
function event(attributes: unknown[], extra: Record<string, unknown> = {}) {
  return {
    Event: {
      uuid: EVENT_UUID,
      info: 'Phishing wave against municipalities',
      date: '2025-03-01',
      Orgc: { name: 'CFCS' },
      Tag: [{ name: 'tlp:green' }, { name: 'kl:sector="municipality"' }],
      Attribute: attributes,
      ...extra,
    },
  };
}
let uuidCounter = 0;
function attribute(type: string, value: string, fields: Record<string, unknown> = {}) {
  uuidCounter++;
  return { uuid: `a-${uuidCounter}`, type, value, to_ids: true, category: 'Network activity', timestamp: '1740787200', ...fields };
}

describe('importMispEvent', () => {
  describe('the CIRCL OSINT feed event', () => {
    const text = readEvent('57c4445b-c548-4654-af0b-4be3950d210f.json');
    const result = importMispEvent(text);

    it('imports the to_ids hashes and nothing that is only context', () => {
      // Counted independently: to_ids attributes of hash types.
      const attributes = (JSON.parse(text) as { Event: { Attribute: { type: string; to_ids: boolean }[] } }).Event.Attribute;
      const hashes = attributes.filter((a) => a.to_ids && ['md5', 'sha1', 'sha256'].includes(a.type));
      expect(result.indicators).toHaveLength(hashes.length);
      expect(result.indicators.map((i) => [i.type, i.value])).toEqual([
        ['md5', '0749bae92ca336a02c83d126e04ec628'],
        ['sha1', '77b0c41b7d340b8a3d903f21347bbf06aa766b5b'],
        ['sha256', 'b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68'],
      ]);
    });

    it('takes source, TLP, labels, time and reference from the event and attribute', () => {
      expect(result.indicators[0]).toEqual({
        id: '57c4448b-454c-4d17-90d1-4d2f950d210f',
        type: 'md5',
        value: '0749bae92ca336a02c83d126e04ec628',
        source: 'CIRCL',
        confidence: 50,
        tlp: 'clear',
        valid_from: new Date(1472480395 * 1000),
        revoked: false,
        labels: [
          'Payload delivery',
          'circl:incident-classification="malware"',
          'ms-caro-malware:malware-type="Ransom"',
          'malware_classification:malware-category="Ransomware"',
        ],
        description: 'Ransomware - Xorist',
        reference: '57c4445b-c548-4654-af0b-4be3950d210f',
      });
    });

    it('reports the to_ids attributes the index cannot match', () => {
      expect(result.errors).toEqual([
        {
          path: 'Event.Attribute[4]',
          objectId: '57c4448a-fb04-457d-87e7-4127950d210f',
          reason: "unsupported attribute type 'filename': the index cannot match it",
        },
        {
          path: 'Event.Attribute[8]',
          objectId: '57c54b0f-27a4-458b-8e63-4455950d210f',
          reason: "unsupported attribute type 'regkey|value': the index cannot match it",
        },
      ]);
    });
  });

  it('reads a bare event and skips its attributes without to_ids', () => {
    expect(importMispEvent(readEvent('misp_event.json'))).toEqual({ indicators: [], errors: [] });
  });

  it('maps network attribute types, composites and attributes inside objects', () => {
    const result = importMispEvent(
      event(
        [
          attribute('ip-dst', '192.0.2.1'),
          attribute('ip-src', '2001:db8::1'),
          attribute('ip-dst', '198.51.100.0/24'),
          attribute('ip-dst|port', '192.0.2.2|443'),
          attribute('domain|ip', 'evil.example|192.0.2.3', { uuid: 'composite' }),
          attribute('hostname', 'Login.Evil.example'),
          attribute('url', 'HTTP://evil.example:80/x'),
          attribute('filename|sha256', `invoice.exe|${'A'.repeat(64)}`),
          attribute('email-src', 'Phisher@Evil.example'),
        ],
        { Object: [{ name: 'file', Attribute: [attribute('md5', 'b'.repeat(32))] }] },
      ),
    );
    expect(result.errors).toEqual([]);
    expect(result.indicators.map((i) => [i.id.startsWith('composite') ? i.id : '', i.type, i.value])).toEqual([
      ['', 'ipv4', '192.0.2.1'],
      ['', 'ipv6', '2001:db8::1'],
      ['', 'cidr', '198.51.100.0/24'],
      ['', 'ipv4', '192.0.2.2'],
      ['composite#0', 'domain', 'evil.example'],
      ['composite#1', 'ipv4', '192.0.2.3'],
      ['', 'domain', 'login.evil.example'],
      ['', 'url', 'http://evil.example/x'],
      ['', 'sha256', 'a'.repeat(64)],
      ['', 'email', 'phisher@evil.example'],
      ['', 'md5', 'b'.repeat(32)],
    ]);
  });

  it('accepts values as MISP events carry them: URLs without a scheme, defanged values, ports', () => {
    const result = importMispEvent(
      event([
        attribute('url', 'evil.example/wp-content/gate.php'),
        attribute('url', '203.0.113.9:8080/bins/mips'),
        attribute('url', 'hxxps://evil[.]example/login'),
        attribute('domain', 'evil[.]example'),
        attribute('ip-dst', '198.51.100[.]7'),
        attribute('ip-dst', '192.0.2.9:4444'),
        attribute('ip-dst', '[2001:db8::9]:443'),
        attribute('ip-dst|port', '192.0.2.2|8443'),
        attribute('hostname|port', 'c2.evil.example|443'),
      ]),
    );
    expect(result.errors).toEqual([]);
    expect(result.indicators.map((i) => [i.type, i.value, i.port])).toEqual([
      ['url', '//evil.example/wp-content/gate.php', undefined],
      ['url', '//203.0.113.9:8080/bins/mips', undefined],
      ['url', 'https://evil.example/login', undefined],
      ['domain', 'evil.example', undefined],
      ['ipv4', '198.51.100.7', undefined],
      ['ipv4', '192.0.2.9', 4444],
      ['ipv6', '2001:db8::9', 443],
      ['ipv4', '192.0.2.2', 8443],
      ['domain', 'c2.evil.example', 443],
    ]);
  });

  it('reports a port half that is not a port', () => {
    const result = importMispEvent(event([attribute('ip-dst|port', '192.0.2.2|https', { uuid: 'bad-port' })]));
    expect(result.indicators).toEqual([]);
    expect(result.errors).toEqual([
      {
        path: 'Event.Attribute[0]',
        objectId: 'bad-port',
        reason: "ip-dst|port '192.0.2.2|https': port 'https' is not a number from 0 to 65535",
      },
    ]);
  });

  it('skips deleted attributes and attributes of deleted objects', () => {
    const result = importMispEvent(
      event([attribute('ip-dst', '192.0.2.1', { deleted: true })], {
        Object: [{ deleted: true, Attribute: [attribute('ip-dst', '192.0.2.2')] }],
      }),
    );
    expect(result).toEqual({ indicators: [], errors: [] });
  });

  it('reads to_ids written as "1" by older exports', () => {
    expect(importMispEvent(event([attribute('ip-dst', '192.0.2.1', { to_ids: '1' })])).indicators).toHaveLength(1);
    expect(importMispEvent(event([attribute('ip-dst', '192.0.2.1', { to_ids: '0' })])).indicators).toHaveLength(0);
  });

  it('applies the stricter of event and attribute TLP, and the default when neither has one', () => {
    const strict = importMispEvent(event([attribute('ip-dst', '192.0.2.1', { Tag: [{ name: 'tlp:amber+strict' }] })]));
    expect(strict.indicators[0]?.tlp).toBe('amber+strict');
    expect(strict.indicators[0]?.labels).toEqual(['Network activity', 'kl:sector="municipality"']);
    const unmarked = importMispEvent(event([attribute('ip-dst', '192.0.2.1')], { Tag: [] }));
    expect(unmarked.indicators[0]?.tlp).toBe('amber');
  });

  it('prefers first_seen, then timestamp, then the event date for valid_from', () => {
    const [firstSeen, timestamp, date] = importMispEvent(
      event([
        attribute('ip-dst', '192.0.2.1', { first_seen: '2025-02-01T10:00:00.000000+00:00' }),
        attribute('ip-dst', '192.0.2.2'),
        attribute('ip-dst', '192.0.2.3', { timestamp: undefined }),
      ]),
    ).indicators;
    expect(firstSeen?.valid_from).toEqual(new Date('2025-02-01T10:00:00Z'));
    expect(timestamp?.valid_from).toEqual(new Date(1740787200 * 1000));
    expect(date?.valid_from).toEqual(new Date('2025-03-01T00:00:00Z'));
  });

  it('uses the configured source and confidence', () => {
    const [indicator] = importMispEvent(event([attribute('ip-dst', '192.0.2.1')]), {
      source: 'misp-shared',
      defaultConfidence: 90,
    }).indicators;
    expect(indicator).toMatchObject({ source: 'misp-shared', confidence: 90, reference: EVENT_UUID });
  });

  it.each([
    [
      attribute('ip-dst', 'not-an-ip', { uuid: 'u1' }),
      { path: 'Event.Attribute[0]', objectId: 'u1', reason: "ip-dst 'not-an-ip': value: invalid IP address 'not-an-ip'" },
    ],
    [
      attribute('domain|ip', 'evil.example', { uuid: 'u2' }),
      { path: 'Event.Attribute[0]', objectId: 'u2', reason: "domain|ip value 'evil.example' must have 2 parts separated by '|'" },
    ],
    [attribute('ip-dst', '192.0.2.1', { uuid: undefined }), { path: 'Event.Attribute[0]', reason: "attribute has no 'uuid' to identify its indicator" }],
    [
      attribute('ip-dst', 42 as unknown as string, { uuid: 'u3' }),
      { path: 'Event.Attribute[0]', objectId: 'u3', reason: "attribute needs string 'type' and 'value'" },
    ],
    ['nope', { path: 'Event.Attribute[0]', reason: 'not a JSON object' }],
  ])('reports a bad attribute: %j', (bad, error) => {
    expect(importMispEvent(event([bad])).errors).toEqual([error]);
  });

  it('reports an attribute without any usable time', () => {
    const result = importMispEvent(event([attribute('ip-dst', '192.0.2.1', { uuid: 'u4', timestamp: undefined })], { date: undefined }));
    expect(result.errors).toEqual([{ path: 'Event.Attribute[0]', objectId: 'u4', reason: 'attribute has no usable first_seen, timestamp or event date' }]);
  });

  it('reports an Attribute field that is not an array', () => {
    expect(importMispEvent(event({} as unknown as unknown[])).errors).toEqual([{ path: 'Event.Attribute', reason: 'expected an array of attributes' }]);
  });

  it('rejects a document that is not an event', () => {
    expect(importMispEvent({ Event: { info: 'no uuid' } }).errors).toEqual([{ path: 'Event', reason: "not a MISP event: expected an object with a 'uuid'" }]);
  });

  it('rejects text that is not JSON', () => {
    expect(importMispEvent('{').errors[0]?.reason).toMatch(/^invalid JSON: /);
  });
});
