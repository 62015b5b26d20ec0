import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IndicatorIndex } from './indicator-index';
import { importStixBundle } from './stix-importer';

const STIX_DIR = path.resolve(__dirname, '../../../../shared/data/threat-intel/stix21-oasis');
const readBundle = (relative: string): unknown => JSON.parse(readFileSync(path.join(STIX_DIR, relative), 'utf8'));
const AT = Date.parse('2020-01-01T00:00:00Z');

function indicatorObject(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--00000000-0000-4000-8000-000000000001',
    created: '2024-01-01T00:00:00Z',
    modified: '2024-01-01T00:00:00Z',
    pattern: "[ipv4-addr:value = '192.0.2.1']",
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
    ...fields,
  };
}
const bundle = (...objects: unknown[]) => ({ type: 'bundle', id: 'bundle--1', objects });

describe('importStixBundle', () => {
  describe('the OASIS APT1 report', () => {
    const result = importStixBundle(readBundle('cti-stix2-json-schemas/examples/threat-reports/apt1.json'));

    it('imports the CIDR, domain and MD5 indicators', () => {
      const byType = result.indicators.reduce<Record<string, number>>((counts, i) => {
        counts[i.type] = (counts[i.type] ?? 0) + 1;
        return counts;
      }, {});
      expect(byType).toEqual({ cidr: 4, domain: 3, md5: 3 });
      expect(result.indicators.find((i) => i.id === 'indicator--031778a4-057f-48e6-9db9-c8d72b81ccd5')).toMatchObject({
        type: 'cidr',
        value: '223.166.0.0/15',
        source: 'stix',
        tlp: 'amber',
        confidence: 50,
        revoked: false,
        labels: ['malicious-activity'],
        description: 'HTRAN Hop Point Accessor',
        reference: 'indicator--031778a4-057f-48e6-9db9-c8d72b81ccd5',
        valid_from: new Date('2015-05-15T09:12:16.432Z'),
      });
    });

    it('reports the two x509 AND patterns by object id', () => {
      expect(result.errors).toEqual([
        {
          path: 'objects[20].pattern',
          objectId: 'indicator--b3b6b540-d838-41e2-853b-005056c00008',
          reason: "unsupported comparison operator 'AND': only OR of equality comparisons can be indexed",
        },
        {
          path: 'objects[21].pattern',
          objectId: 'indicator--b3b7035e-d838-41e2-8d38-005056c00008',
          reason: "unsupported comparison operator 'AND': only OR of equality comparisons can be indexed",
        },
      ]);
    });

    it('yields indicators the index matches: an address inside a /15 and a subdomain', () => {
      const index = new IndicatorIndex();
      for (const indicator of result.indicators) index.add(indicator);
      expect(index.matchIp('223.167.255.1', AT).indicators.map((i) => i.value)).toEqual(['223.166.0.0/15']);
      expect(index.matchIp('223.168.0.1', AT).indicators).toEqual([]);
      expect(index.matchDomain('mail.hugesoft.org', AT).indicators.map((i) => i.value)).toEqual(['hugesoft.org']);
      expect(index.matchHash('001DD76872D80801692FF942308C64E6', AT).indicators).toHaveLength(1);
    });
  });

  describe('the OASIS Poison Ivy report', () => {
    const document = readBundle('cti-stix2-json-schemas/examples/threat-reports/poisonivy.json') as {
      objects: { type: string; pattern?: string }[];
    };
    const result = importStixBundle(document, { source: 'FireEye' });

    it('turns every comparison of the OR patterns into its own indicator', () => {
      // Counted independently: comparisons in the patterns that do not use file:name.
      const comparisons = document.objects
        .filter((o) => o.type === 'indicator' && !o.pattern!.includes('file:name'))
        .reduce((sum, o) => sum + o.pattern!.split(' OR ').length, 0);
      expect(comparisons).toBe(65);
      // One comparison carries the malformed domain 'domain autuo.xicp.net'.
      expect(result.indicators).toHaveLength(comparisons - 1);
      expect(result.indicators.filter((i) => i.id.startsWith('indicator--329ae6e9-25bd-49e8-89d1-aae4ca52e4a7#'))).toHaveLength(6);
      expect(result.indicators.find((i) => i.id === 'indicator--329ae6e9-25bd-49e8-89d1-aae4ca52e4a7#0')).toMatchObject({
        type: 'domain',
        value: 'www.webserver.dynssl.com',
        source: 'FireEye',
        labels: ['malicious-activity', 'attribution'],
      });
    });

    it('reports the file-name patterns and the malformed domain, keeping the rest of that pattern', () => {
      expect(result.errors.map((e) => [e.objectId, e.reason])).toEqual([
        [
          'indicator--4e4c4ad7-4909-456a-b6fa-e24a6f682a40',
          "comparison 1 (domain-name:value = 'domain autuo.xicp.net'): value: domain name 'domain autuo.xicp.net' contains a character not allowed in a host name",
        ],
        ['indicator--137acf67-cedc-4a07-8719-72759174de3a', "file:name = 'CBricksDoc': unsupported object path 'file:name'"],
        ['indicator--0b71628d-31dd-4eb8-baee-39f19c0a14b0', "file:name = 'CPiShellPutDoc': unsupported object path 'file:name'"],
      ]);
      expect(result.indicators.find((i) => i.id === 'indicator--4e4c4ad7-4909-456a-b6fa-e24a6f682a40#1')?.value).toBe('60.10.1.115');
    });
  });

  it('imports the URL and SHA-256 examples', () => {
    const url = importStixBundle(readBundle('cti-documentation/examples/example_json/indicator-for-malicious-url.json'));
    expect(url.indicators.map((i) => [i.type, i.value])).toEqual([['url', 'http://x4z9arb.cn/4712/']]);
    const hash = importStixBundle(readBundle('cti-documentation/examples/example_json/malware-indicator-for-file-hash.json'));
    expect(hash.indicators.map((i) => [i.type, i.value])).toEqual([['sha256', 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']]);
    expect([...url.errors, ...hash.errors]).toEqual([]);
  });

  it('reports the MATCHES patterns of the e-mail example by object id', () => {
    const result = importStixBundle(readBundle('cti-stix2-json-schemas/examples/malicious-email-indicator-with-attachment.json'));
    expect(result.indicators).toEqual([]);
    expect(result.errors.map((e) => [e.objectId, e.reason])).toEqual([
      ['indicator--8cf9236f-1b96-493d-98be-0c1c1e8b62d7', "unsupported comparison operator 'MATCHES' on 'email-message:subject': only '=' can be indexed"],
      [
        'indicator--2e17f6fe-3a4d-438a-911a-e509ba1b9933',
        "unsupported comparison operator 'MATCHES' on 'email-message:body_multipart[*].body_raw_ref.name': only '=' can be indexed",
      ],
    ]);
  });

  it('passes over bundles without indicators silently', () => {
    expect(importStixBundle(readBundle('cti-stix2-json-schemas/examples/infrastructure.json'))).toEqual({
      indicators: [],
      errors: [],
    });
  });

  describe('TLP', () => {
    const tlpOf = (refs: string[], ...extra: unknown[]) =>
      importStixBundle(bundle(indicatorObject({ object_marking_refs: refs }), ...extra)).indicators[0]?.tlp;

    it('reads the standard TLP 1.0 and TLP 2.0 marking ids', () => {
      expect(tlpOf(['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'])).toBe('clear');
      expect(tlpOf(['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'])).toBe('green');
      expect(tlpOf(['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003'])).toBe('amber+strict');
      expect(tlpOf(['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'])).toBe('red');
    });

    it('reads marking definitions carried in the bundle', () => {
      const byDefinition = { type: 'marking-definition', id: 'marking-definition--a', definition_type: 'tlp', definition: { tlp: 'green' } };
      const byExtension = {
        type: 'marking-definition',
        id: 'marking-definition--b',
        extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { tlp_2_0: 'amber+strict' } },
      };
      const byName = { type: 'marking-definition', id: 'marking-definition--c', name: 'TLP:RED' };
      expect(tlpOf(['marking-definition--a'], byDefinition)).toBe('green');
      expect(tlpOf(['marking-definition--b'], byExtension)).toBe('amber+strict');
      expect(tlpOf(['marking-definition--c'], byName)).toBe('red');
    });

    it('takes the strictest of several markings and ignores markings that are not TLP', () => {
      const statement = { type: 'marking-definition', id: 'marking-definition--s', definition_type: 'statement', definition: { statement: 'x' } };
      expect(
        tlpOf(
          ['marking-definition--s', 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'],
          statement,
        ),
      ).toBe('amber');
    });

    it('uses the default, amber unless configured, for unmarked indicators', () => {
      expect(tlpOf([])).toBe('amber');
      expect(importStixBundle(bundle(indicatorObject({})), { defaultTlp: 'green' }).indicators[0]?.tlp).toBe('green');
    });
  });

  it('maps validity, revocation, confidence and the creator identity', () => {
    const result = importStixBundle(
      bundle(
        { type: 'identity', id: 'identity--cert', name: 'CFCS' },
        indicatorObject({
          valid_until: '2024-06-01T00:00:00Z',
          revoked: true,
          confidence: 85,
          created_by_ref: 'identity--cert',
          pattern: "[email-addr:value = 'Phisher@Evil.example']",
        }),
      ),
    );
    expect(result.indicators[0]).toMatchObject({
      type: 'email',
      value: 'phisher@evil.example',
      valid_until: new Date('2024-06-01T00:00:00Z'),
      revoked: true,
      confidence: 85,
      source: 'CFCS',
    });
  });

  it('keeps only the latest version of an indicator', () => {
    const result = importStixBundle(
      bundle(
        indicatorObject({ modified: '2024-03-01T00:00:00Z', pattern: "[ipv4-addr:value = '192.0.2.3']" }),
        indicatorObject({ modified: '2024-02-01T00:00:00Z', pattern: "[ipv4-addr:value = '192.0.2.2']" }),
      ),
    );
    expect(result.indicators.map((i) => i.value)).toEqual(['192.0.2.3']);
  });

  it('reads MD5, SHA-1 and SHA-256 hash properties, quoted or not', () => {
    const result = importStixBundle(
      bundle(
        indicatorObject({
          pattern: `[file:hashes.MD5 = '${'a'.repeat(32)}' OR file:hashes.'SHA-1' = '${'b'.repeat(40)}' OR file:hashes.SHA256 = '${'c'.repeat(64)}']`,
        }),
      ),
    );
    expect(result.indicators.map((i) => i.type)).toEqual(['md5', 'sha1', 'sha256']);
  });

  it.each([
    [{ pattern_type: 'yara', pattern: 'rule x {}' }, 'objects[0].pattern_type', "unsupported pattern_type 'yara': only STIX patterns can be indexed"],
    [
      { pattern: "[ipv4-addr:value = '192.0.2.1'] FOLLOWEDBY [ipv4-addr:value = '192.0.2.2']" },
      'objects[0].pattern',
      "unsupported observation operator 'FOLLOWEDBY': only OR of observations can be indexed",
    ],
    [{ pattern: "[mutex:name = 'evil']" }, 'objects[0].pattern', "mutex:name = 'evil': unsupported object path 'mutex:name'"],
    [
      { pattern: "[file:hashes.'SHA-512' = 'ab']" },
      'objects[0].pattern',
      "file:hashes.'SHA-512' = 'ab': unsupported hash algorithm 'SHA-512': only MD5, SHA-1 and SHA-256 are indexed",
    ],
    [
      { pattern: "[ipv4-addr:value = '2001:db8::1']" },
      'objects[0].pattern',
      "ipv4-addr:value = '2001:db8::1': ipv4-addr value '2001:db8::1' is not an IPv4 address",
    ],
    [{ pattern: "[ipv6-addr:value = '192.0.2.1']" }, 'objects[0].pattern', "ipv6-addr:value = '192.0.2.1': ipv6-addr value '192.0.2.1' is not an IPv6 address"],
    [{ valid_from: undefined }, 'objects[0].valid_from', 'Invalid input: expected string, received undefined'],
    [{ valid_from: 'yesterday' }, 'objects[0].valid_from', 'Invalid ISO datetime'],
    [{ valid_until: '2023-01-01T00:00:00Z' }, 'objects[0].pattern', "ipv4-addr:value = '192.0.2.1': valid_until: valid_until must be later than valid_from"],
    [{ confidence: 101 }, 'objects[0].confidence', 'Too big: expected number to be <=100'],
  ])('reports %j at %s', (fields, where, reason) => {
    const result = importStixBundle(bundle(indicatorObject(fields)));
    expect(result.indicators).toEqual([]);
    expect(result.errors).toEqual([{ path: where, objectId: 'indicator--00000000-0000-4000-8000-000000000001', reason }]);
  });

  it('reports an indicator whose id is not an indicator id', () => {
    expect(importStixBundle(bundle(indicatorObject({ id: 'malware--1' }))).errors).toEqual([
      { path: 'objects[0].id', objectId: 'malware--1', reason: "must start with 'indicator--'" },
    ]);
  });

  it('rejects a document that is not a bundle', () => {
    expect(importStixBundle({ type: 'indicator' }).errors).toEqual([{ path: '$', reason: "not a STIX bundle: expected type 'bundle' and an 'objects' array" }]);
  });

  it('rejects text that is not JSON', () => {
    const [error] = importStixBundle('{"type": "bundle",').errors;
    expect(error?.path).toBe('$');
    expect(error?.reason).toMatch(/^invalid JSON: /);
  });

  it('reports an entry of objects that is not an object', () => {
    expect(importStixBundle(bundle(42)).errors).toEqual([{ path: 'objects[0]', reason: 'not a JSON object' }]);
  });
});
