import { deadLetterListQuerySchema, deadLetterWarnings, pageOf, streamIdTime, summarise, type DeadLetter } from './dead-letter';

const letter = (over: Partial<DeadLetter>): DeadLetter => ({
  kind: 'stream',
  id: '1-0',
  at: '2026-12-02T10:00:00.000Z',
  members: ['0751'],
  reason: 'handler failed 3 times: connect ECONNREFUSED',
  source: 'group indexer',
  summary: 'batch b: 2 events',
  ...over,
});

describe('dead letters, pure part', () => {
  const letters = [
    letter({ id: '3-0', at: '2026-12-02T12:00:00.000Z', members: ['0101'] }),
    letter({ kind: 'index', id: '2-0', at: '2026-12-02T11:00:00.000Z', reason: 'document_parsing_exception: bad' }),
    letter({ id: '1-0' }),
  ];

  it('filters by kind, member, time and a reason substring (any case), oldest first', () => {
    const query = (q: object) => deadLetterListQuerySchema.parse(q);
    expect(pageOf(letters, query({})).dead_letters.map((l) => l.id)).toEqual(['1-0', '2-0', '3-0']);
    expect(pageOf(letters, query({ kind: 'index' })).dead_letters.map((l) => l.id)).toEqual(['2-0']);
    expect(pageOf(letters, query({ member: '0101' })).dead_letters.map((l) => l.id)).toEqual(['3-0']);
    expect(pageOf(letters, query({ from: '2026-12-02T10:30:00Z', to: '2026-12-02T11:30:00Z' })).dead_letters.map((l) => l.id)).toEqual(['2-0']);
    expect(pageOf(letters, query({ reason: 'ECONNREFUSED' })).total).toBe(2);
  });

  it('pages by offset and says where the next page starts', () => {
    const first = pageOf(letters, deadLetterListQuerySchema.parse({ size: '2' }));
    expect(first).toMatchObject({ total: 3, next_offset: 2 });
    const second = pageOf(letters, deadLetterListQuerySchema.parse({ size: '2', offset: '2' }));
    expect(second.dead_letters.map((l) => l.id)).toEqual(['3-0']);
    expect(second.next_offset).toBeUndefined();
  });

  it('refuses an unknown kind or filter', () => {
    expect(deadLetterListQuerySchema.safeParse({ kind: 'mail' }).success).toBe(false);
    expect(deadLetterListQuerySchema.safeParse({ colour: 'red' }).success).toBe(false);
  });

  it('warns per kind above the count, or when the oldest is too old, and not otherwise', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    const thresholds = { maxCount: 10, maxAgeSeconds: 3600 };
    expect(deadLetterWarnings([{ kind: 'index', count: 11, oldest_at: '2026-12-02T11:59:00Z' }], thresholds, now)).toEqual([
      '11 index dead letters (more than 10)',
    ]);
    expect(deadLetterWarnings([{ kind: 'webhook', count: 1, oldest_at: '2026-12-02T10:00:00Z' }], thresholds, now)).toEqual([
      'webhook dead letter waiting since 2026-12-02T10:00:00Z (older than 3600 s)',
    ]);
    expect(
      deadLetterWarnings(
        [
          { kind: 'stream', count: 10, oldest_at: '2026-12-02T11:30:00Z' },
          { kind: 'ingest', count: 0 },
        ],
        thresholds,
        now,
      ),
    ).toEqual([]);
  });

  it('reads the time of a stream id and bounds a summary', () => {
    expect(streamIdTime('1764669600000-3')).toBe('2025-12-02T10:00:00.000Z');
    expect(summarise('a\u0000b')).toBe('3 bytes: a\\u0000b');
    expect(summarise('x'.repeat(500), 10)).toBe(`500 bytes: ${'x'.repeat(10)}…`);
  });
});
