import { checkIndexedFields } from './indexed-field-check';

const problems = (event: Record<string, unknown>) => checkIndexedFields(event);

describe(checkIndexedFields.name, () => {
  it('accepts what Elasticsearch indexes, including its coercions', () => {
    expect(
      problems({
        '@timestamp': '2026-01-01T00:00:00.123456789+01:00',
        http: { response: { status_code: '404' } },
        process: { pid: '1.5' },
        event: { severity: 7, category: ['a', 1, true, null] },
        host: { ip: ['192.0.2.1', '::ffff:192.0.2.1'] },
        winlog: { channel: 'Security', event_data: { a: { b: 1 }, c: [{ d: null }] } },
        tags: [['nested', 'arrays']],
        source: [{ ip: '192.0.2.1' }],
        unmapped: { anything: { at: 'all' } },
      }),
    ).toEqual([]);
  });

  it.each([
    ['http.response.status_code', { http: { response: { status_code: 'abc' } } }, 'must be a number of type integer'],
    ['http.response.status_code', { http: { response: { status_code: 3_000_000_000 } } }, 'must be a number of type integer'],
    ['http.response.status_code', { http: { response: { status_code: true } } }, 'must be a number of type integer'],
    ['event.severity', { event: { severity: '0x10' } }, 'must be a number of type long'],
    ['event.severity', { event: { severity: 2 ** 63 } }, 'must be a number of type long'],
    ['winlog.channel', { winlog: { channel: {} } }, 'must be a string, number or boolean (a keyword field), got an object'],
    ['message', { message: { text: 'x' } }, 'must be a string, number or boolean (a text field)'],
    ['source.ip', { source: { ip: '999.1.1.1' } }, 'must be an IPv4 or IPv6 address'],
    ['host.ip', { host: { ip: ['192.0.2.1', '01.2.3.4'] } }, 'must be an IPv4 or IPv6 address'],
    ['@timestamp', { '@timestamp': '2026-01-01T00:00:00.1234567890Z' }, 'must be an ISO 8601 date-time'],
    ['@timestamp', { '@timestamp': 1_700_000_000_000 }, 'must be an ISO 8601 date-time'],
    ['labels', { labels: 'x' }, 'must be an object (a flattened field)'],
    ['winlog.event_data', { winlog: { event_data: [{ a: 1 }, 'x'] } }, 'must be an object (a flattened field)'],
    ['dns.question', { dns: { question: 'example.org' } }, 'must be an object (fields are mapped below it)'],
    ['event', { event: [{ id: 'x' }, 'scalar'] }, 'must be an object (fields are mapped below it)'],
  ])('refuses %s, naming it and why', (path, event, message) => {
    expect(problems(event)).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it("refuses a flattened field deeper than Elasticsearch's depth_limit of 20", () => {
    const levels = (count: number) => {
      let deep: unknown = 'leaf';
      for (let i = 0; i < count; i++) deep = { k: deep };
      return deep;
    };
    expect(problems({ labels: levels(20) })).toEqual([]);
    expect(problems({ labels: levels(21) })).toEqual([{ path: 'labels', message: expect.stringContaining('more than 20 levels') }]);
  });

  it('names every failing field at once', () => {
    expect(problems({ source: { ip: 'x', port: 'y' }, tags: [{}] }).map((p) => p.path)).toEqual(['source.ip', 'source.port', 'tags']);
  });
});
