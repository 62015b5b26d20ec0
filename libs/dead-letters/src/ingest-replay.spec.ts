import { eventOfIngestDeadLetter, replayedEventId } from './ingest-replay';

const options = {
  key: 'soc:events:ingest-dead-letter',
  timeZone: 'UTC',
  eventLimits: { maxDepth: 20, maxFields: 1000, maxBytes: 262_144 },
  eventTimeWindow: { maxPastMs: 30 * 86_400_000, maxFutureMs: 86_400_000 },
};

describe('ingest dead letters read again', () => {
  it('derives one UUID-shaped event id per dead letter', () => {
    const id = replayedEventId(options.key, '1764669600000-0');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(replayedEventId(options.key, '1764669600000-0')).toBe(id);
    expect(replayedEventId(options.key, '1764669600000-1')).not.toBe(id);
  });

  it('reads the line for its member at its first arrival, with that id', () => {
    const line = '<34>1 2025-12-02T09:59:00.000Z host-a sshd 4242 - - Failed password for root from 198.51.100.7 port 50000 ssh2';
    const read = eventOfIngestDeadLetter({ id: '1764669600000-0', member: '0751', raw: line }, options);
    expect(read).toMatchObject({
      ok: true,
      event: {
        '@timestamp': '2025-12-02T09:59:00.000Z',
        event: { id: replayedEventId(options.key, '1764669600000-0'), ingested: '2025-12-02T10:00:00.000Z' },
        organization: { id: '0751' },
      },
    });
  });

  it('refuses, with the reader’s reason, a line it still cannot read', () => {
    expect(eventOfIngestDeadLetter({ id: '1764669600000-0', member: '0751', raw: 'x'.repeat(50) }, options)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^no parser recognised the line/),
    });
  });
});
