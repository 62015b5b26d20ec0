import { normaliseJsonRecord } from './normalise-json-record';

describe(normaliseJsonRecord.name, () => {
  it('normalises a flat Windows record (NXLog / OTRF)', () => {
    const result = normaliseJsonRecord({ EventID: 4625, Channel: 'Security', Hostname: 'WS1', TargetUserName: 'bob' });
    expect(result.ok && result.event).toMatchObject({ event: { code: '4625', action: 'logon-failed' }, user: { name: 'bob' } });
  });

  it('normalises EVTX-as-JSON (Event.System / Event.EventData)', () => {
    const result = normaliseJsonRecord({
      Event: {
        System: {
          Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } },
          EventID: 4648,
          Keywords: '0x8020000000000000',
          TimeCreated: { '#attributes': { SystemTime: '2026-07-17T14:18:34.072213Z' } },
          EventRecordID: 34382,
          Channel: 'Security',
          Computer: 'swachchhanda',
        },
        EventData: { SubjectUserName: 'xodih', TargetUserName: 'testuser', TargetServerName: 'localhost', IpAddress: '-' },
      },
    });
    expect(result.ok && result.event).toMatchObject({
      '@timestamp': '2026-07-17T14:18:34.072213Z',
      event: { code: '4648', outcome: 'success', provider: 'Microsoft-Windows-Security-Auditing' },
      host: { name: 'swachchhanda' },
      user: { name: 'xodih', effective: { name: 'testuser' } },
      winlog: { record_id: '34382', event_data: { TargetServerName: 'localhost' } },
    });
  });

  it('reads EVTX EventData given as a Data array', () => {
    const result = normaliseJsonRecord({
      Event: {
        System: { EventID: { '#text': '4624' }, Channel: 'Security' },
        EventData: { Data: [{ '#attributes': { Name: 'TargetUserName' }, '#text': 'carol' }] },
      },
    });
    expect(result.ok && result.event.user).toEqual({ name: 'carol' });
  });

  it('completes a Winlogbeat document while keeping what the forwarder mapped', () => {
    const result = normaliseJsonRecord({
      '@timestamp': '2024-05-01T10:00:00.000Z',
      host: { name: 'dc01' },
      event: { kind: 'event', code: '4625' },
      winlog: {
        event_id: '4625',
        channel: 'Security',
        provider_name: 'Microsoft-Windows-Security-Auditing',
        keywords: ['Audit Failure'],
        event_data: { TargetUserName: 'eve', IpAddress: '198.51.100.4' },
      },
      custom: { kept: true },
    });
    expect(result.ok && result.event).toMatchObject({
      event: { kind: 'event', code: '4625', outcome: 'failure', category: ['authentication'] },
      user: { name: 'eve' },
      source: { ip: '198.51.100.4' },
      custom: { kept: true },
    });
  });

  it('passes an ECS event through, keeping unknown fields and removing organization', () => {
    const result = normaliseJsonRecord({ '@timestamp': '2024-05-01T10:00:00Z', message: 'hi', organization: { id: 'spoofed' }, vendor: { x: 1 } });
    expect(result).toEqual({ ok: true, event: { '@timestamp': '2024-05-01T10:00:00Z', message: 'hi', vendor: { x: 1 } } });
  });

  it('rejects an ECS event that breaks the contract, naming each field', () => {
    expect(normaliseJsonRecord({ '@timestamp': 'yesterday', source: { ip: '999.1.1.1' } })).toEqual({
      ok: false,
      reason: 'not a valid ECS event: @timestamp: Invalid ISO datetime; source.ip: Invalid input',
    });
  });

  it.each([[null], ['text'], [[1, 2]], [42]])('rejects %j, which is not an object', (record) => {
    expect(normaliseJsonRecord(record)).toEqual({ ok: false, reason: 'JSON record must be an object' });
  });

  it('rejects an unknown time zone', () => {
    expect(normaliseJsonRecord({}, { timeZone: 'Mars/Base' })).toEqual({ ok: false, reason: "unknown time zone 'Mars/Base'" });
  });

  it('turns an unexpected exception into a reason instead of throwing', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    expect(normaliseJsonRecord(hostile)).toEqual({ ok: false, reason: 'internal parser error: boom' });
  });
});
