import { parseCef } from './cef';
import { cefRecordToEcs, cefSeverityToNumber } from './cef-to-ecs';
import { parseCefTimestamp } from './cef-timestamp';
import type { EcsObject } from './ecs-fields';

const options = { now: new Date('2025-06-15T12:00:00Z'), timeZone: 'UTC' };

function mapped(text: string): EcsObject {
  const result = parseCef(text);
  if (!result.ok) throw new Error(result.reason);
  return cefRecordToEcs(result.record, options);
}

describe(cefRecordToEcs.name, () => {
  it('maps endpoints, users, URL, action, outcome and the device', () => {
    expect(
      mapped(
        'CEF:0|Fortinet|FortiGate|7.2|13|login failed|High|src=203.0.113.9 spt=51000 shost=attacker.example dst=10.0.0.5 dpt=443 suser=alice duser=admin request=/login?x=1 requestMethod=POST act=deny outcome=Failure proto=TCP app=HTTPS dvc=10.0.0.1 dvchost=fw01 rt=1700000000000',
      ),
    ).toMatchObject({
      '@timestamp': '2023-11-14T22:13:20.000Z',
      event: { module: 'cef', dataset: 'cef.log', code: '13', severity: 8, action: 'deny', outcome: 'failure' },
      source: { address: '203.0.113.9', ip: '203.0.113.9', port: 51000, domain: 'attacker.example' },
      destination: { ip: '10.0.0.5', port: 443 },
      user: { name: 'alice', target: { name: 'admin' } },
      url: { original: '/login?x=1', path: '/login', query: 'x=1' },
      http: { request: { method: 'POST' } },
      network: { transport: 'tcp', protocol: 'https' },
      observer: { vendor: 'Fortinet', product: 'FortiGate', version: '7.2', ip: ['10.0.0.1'], hostname: 'fw01' },
      message: 'login failed',
    });
  });

  it('takes duser as user.name when there is no suser', () => {
    expect(mapped('CEF:0|v|p|1|id|n|3|duser=bob').user).toEqual({ name: 'bob' });
  });

  it('puts labelled custom fields into labels, dates as ISO, unlabelled ones under their key', () => {
    expect(
      mapped(
        'CEF:0|v|p|1|id|n|3|cs1=maui cs1Label=policy cn3=42 cn3Label=attack id deviceCustomDate1=Sep 10 2010 15:58:23 deviceCustomDate1Label=applied cs6=N/A',
      ).labels,
    ).toEqual({ policy: 'maui', 'attack id': '42', applied: '2010-09-10T15:58:23.000Z', cs6: 'N/A' });
  });

  it('accepts full key names (sourceAddress, deviceAction, ...)', () => {
    expect(mapped('CEF:0|v|p|1|id|n|3|sourceAddress=192.0.2.1 deviceAction=allow')).toMatchObject({
      source: { ip: '192.0.2.1' },
      event: { action: 'allow' },
    });
  });

  it('prefers rt, then end, then start for @timestamp', () => {
    expect(mapped('CEF:0|v|p|1|id|n|3|start=1000 end=2000')['@timestamp']).toBe('1970-01-01T00:00:02.000Z');
  });

  it('keeps an invalid address only as source.address', () => {
    expect(mapped('CEF:0|v|p|1|id|n|3|src=999.1.1.1').source).toEqual({ address: '999.1.1.1' });
  });

  it('treats keys and severities named like Object.prototype members as plain text', () => {
    const document = mapped('CEF:0|v|p|1|id|n|constructor|constructor=x toString=y __proto__=z');
    expect((document.event as EcsObject).severity).toBeUndefined();
    expect(Object.keys((document.cef as EcsObject).extensions as EcsObject)).toEqual(['constructor', 'toString', '__proto__']);
  });

  it('keeps every raw extension under cef.extensions', () => {
    expect((mapped('CEF:1|v|p|1|id|n|3|foo=bar').cef as EcsObject).extensions).toEqual({ foo: 'bar' });
  });
});

describe(cefSeverityToNumber.name, () => {
  it('reads 0..10 and the CEF severity words', () => {
    expect(['0', '10', 'Low', 'Medium', 'High', 'Very-High', 'very high', '11', 'Unknown'].map(cefSeverityToNumber)).toEqual([
      0,
      10,
      3,
      6,
      8,
      10,
      10,
      undefined,
      undefined,
    ]);
  });
});

describe(parseCefTimestamp.name, () => {
  it.each([
    ['1249398822000', '2009-08-04T15:13:42.000Z'],
    ['Sep 10 2010 16:03:00', '2010-09-10T16:03:00.000Z'],
    ['Sep 10 2010 16:03:00.250', '2010-09-10T16:03:00.250Z'],
    ['Mar 09 2015 11:58:25 GMT+08:00', '2015-03-09T03:58:25.000Z'],
    ['Mar 09 2015 11:58:25 +0100', '2015-03-09T10:58:25.000Z'],
    ['Jul 09 2015 11:58:25 Europe/Copenhagen', '2015-07-09T09:58:25.000Z'],
    ['Jun 14 10:00:00', '2025-06-14T10:00:00.000Z'],
    ['2016-08-19T21:51:08+00:00', '2016-08-19T21:51:08.000Z'],
  ])('reads %s', (text, expected) => {
    expect(parseCefTimestamp(text, options)).toBe(expected);
  });

  it.each(['yesterday', 'Sep 10 2010 16:03:00 Mars/Base', '2016-08-19T21:51:08+00:00 trailing', '99999999999999999'])('gives up on %s', (text) => {
    expect(parseCefTimestamp(text, options)).toBeUndefined();
  });
});
