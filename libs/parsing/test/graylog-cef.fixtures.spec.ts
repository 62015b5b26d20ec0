import { readdirSync } from 'node:fs';
import type { InboundEvent } from '@soc/contracts';
import { parseCef, parseSyslogLine } from '@soc/parsing';
import { readSharedText, schemaIssues, sharedDataPath } from './shared-data';

/**
 * Graylog's CEF plugin fixtures: a message (bare CEF or inside syslog) with the expected header
 * fields and extension values. Graylog resolves custom labels into keys, types numbers and
 * converts dates; we keep labels in `labels`, raw values in `cef.extensions` and the time in
 * `@timestamp`, so each expected key is looked up where our mapping puts it.
 */

const directory = ['syslog-cef-fixtures', 'graylog-plugin-cef', 'fixtures'];
const now = new Date('2025-11-28T12:00:00Z');

interface CefFixture {
  testString: string;
  expectedSource: string;
  cefVersion: number;
  deviceVendor: string;
  deviceProduct: string;
  deviceVersion?: string | null;
  deviceEventClassId: string;
  name: string;
  severity: string;
  extensions: Record<string, unknown>;
  /** Keys commented out in the fixture: the parser must drop them. */
  dropped: string[];
}

/** Four fixtures are JSON with `//` comment lines marking extensions that must be dropped. */
function readFixture(file: string): CefFixture {
  const text = readSharedText(...directory, file);
  const dropped = [...text.matchAll(/^\s*\/\/\s*"([^"]+)"\s*:/gm)].map((match) => match[1]);
  const json = text.replace(/^\s*\/\/.*$/gm, '');
  return { ...(JSON.parse(json) as Omit<CefFixture, 'dropped'>), dropped };
}

/** Graylog's `use_full_names` option renamed the device address; we keep CEF's short key. */
const shortKeyOf: Record<string, string> = { deviceAddress: 'dvc' };

function cefOf(event: InboundEvent): { extensions: Record<string, string>; severity: string } {
  return event.cef as { extensions: Record<string, string>; severity: string };
}

function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value);
}

/** Compares one expected extension against our event; returns a description of a mismatch. */
function checkExtension(event: InboundEvent, key: string, expected: unknown): string | undefined {
  const labels = event.labels ?? {};
  const raw = cefOf(event).extensions;
  let actual: string | undefined;
  if (key === 'rt' && isIsoTime(expected)) {
    actual = event['@timestamp'];
  } else if (Object.prototype.hasOwnProperty.call(labels, key)) {
    actual = labels[key];
  } else {
    actual = raw[shortKeyOf[key] ?? key];
  }
  if (actual === undefined) return `${key}: missing`;
  const matches =
    typeof expected === 'number' ? Number(actual) === expected : isIsoTime(expected) ? Date.parse(actual) === Date.parse(expected) : actual === expected;
  return matches ? undefined : `${key}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

const files = readdirSync(sharedDataPath(...directory))
  .filter((name) => name.endsWith('.json'))
  .sort();

describe('Graylog CEF fixtures', () => {
  it('finds all 36 fixtures', () => {
    expect(files).toHaveLength(36);
  });

  describe.each(files)('%s', (file) => {
    const fixture = readFixture(file);
    const result = parseSyslogLine(fixture.testString, { now });

    it('parses into a schema-valid event', () => {
      if (!result.ok) throw new Error(result.reason);
      expect(schemaIssues(result.event)).toBeUndefined();
    });

    it('has the expected header fields', () => {
      if (!result.ok) throw new Error(result.reason);
      const event = result.event;
      const cef = event.cef as { version: string; device: Record<string, string>; name: string; severity: string };
      expect(Number(cef.version)).toBe(fixture.cefVersion);
      expect(cef.device.vendor).toBe(fixture.deviceVendor);
      expect(cef.device.product).toBe(fixture.deviceProduct);
      expect(cef.device.version).toBe(fixture.deviceVersion ?? '');
      expect(cef.device.event_class_id).toBe(fixture.deviceEventClassId);
      expect(cef.name).toBe(fixture.name);
      expect(cef.severity).toBe(fixture.severity);
      expect(event.observer).toMatchObject({ vendor: fixture.deviceVendor, product: fixture.deviceProduct });
    });

    it('has every expected extension value, and none of the dropped ones', () => {
      if (!result.ok) throw new Error(result.reason);
      const event = result.event;
      const syslog = (event.log as { syslog?: { severity: { code: number }; facility: { name: string } } } | undefined)?.syslog;
      const mismatches = Object.entries(fixture.extensions)
        .map(([key, expected]) => {
          // Graylog reports the syslog header's level and facility among the extensions.
          if (key === 'level') return syslog?.severity.code === expected ? undefined : `level: got ${syslog?.severity.code}`;
          if (key === 'facility') return syslog?.facility.name === expected ? undefined : `facility: got ${syslog?.facility.name}`;
          return checkExtension(event, key, expected);
        })
        .filter((mismatch) => mismatch !== undefined);
      expect(mismatches).toEqual([]);
      for (const key of fixture.dropped.filter((name) => name !== 'Threat Type')) {
        expect({ key, value: event.labels?.[key] ?? cefOf(event).extensions[key] }).toEqual({ key, value: undefined });
      }
    });

    it('names the device Graylog names as the source', () => {
      if (!result.ok) throw new Error(result.reason);
      // Graylog's source is `dvc`, else the syslog hostname, else the sender's address ("/127.0.0.1").
      const ours = cefOf(result.event).extensions.dvc ?? result.event.host?.hostname;
      expect(ours).toBe(fixture.expectedSource.startsWith('/') ? undefined : fixture.expectedSource);
    });
  });

  it('keeps a label Graylog drops for its space (`cn3Label=Threat Type`), because labels may contain spaces', () => {
    const result = parseSyslogLine(readFixture('issue_7_comment_245885985.json').testString, { now });
    if (!result.ok) throw new Error(result.reason);
    expect(result.event.labels?.['Threat Type']).toBe('1');
  });

  it('maps the standard keys onto ECS (issue_7_comment_245885985.json)', () => {
    const result = parseSyslogLine(readFixture('issue_7_comment_245885985.json').testString, { now });
    if (!result.ok) throw new Error(result.reason);
    expect(result.event).toMatchObject({
      '@timestamp': '2015-03-09T03:58:25.000Z',
      event: { module: 'cef', dataset: 'cef.log', code: '20', severity: 6, action: 'not blocked' },
      source: { ip: '172.16.1.197', port: 12121, mac: 'fe:ed:be:ef:5a:c6' },
      destination: { ip: '216.52.115.2', port: 80, domain: 'www.freewebs.com' },
      observer: { vendor: 'Trend Micro', product: 'Deep Discovery Inspector', ip: ['10.201.156.143'], hostname: 'ddi38-143' },
      file: { name: 'setting.doc' },
      network: { protocol: 'http' },
    });
  });

  it('reads the escaped header of v24_escaped_pipe.json with parseCef directly', () => {
    const parsed = parseCef(readFixture('v24_escaped_pipe.json').testString);
    expect(parsed.ok && parsed.record.name).toBe('detected a | in message');
  });
});
