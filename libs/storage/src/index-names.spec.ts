import { defaultEventTimeWindow } from '@soc/contracts';
import { parseEventBody, stampEvent } from '@soc/ingest';
import { EventTimeOutsideWindowError, IndexNames } from './index-names';

const now = Date.UTC(2026, 5, 15, 12);

describe(IndexNames.name, () => {
  it('names the daily index by the UTC day of the event time', () => {
    const names = new IndexNames('soc');
    expect(names.eventsIndexFor('2026-03-01T23:59:59.000Z')).toBe('soc-events-2026.03.01');
    expect(names.eventsIndexFor('2026-03-01T23:30:00-01:00')).toBe('soc-events-2026.03.02');
    expect(names.eventsIndexFor('2026-03-01')).toBe('soc-events-2026.03.01');
  });

  it('refuses to name an index for a day outside the event-time window', () => {
    const names = new IndexNames('soc', defaultEventTimeWindow);
    expect(names.eventsIndexFor('2026-05-15T00:00:00.000Z', now)).toBe('soc-events-2026.05.15');
    expect(names.eventsIndexFor('2026-06-17T23:59:59.999Z', now)).toBe('soc-events-2026.06.17');
    for (const timestamp of ['2026-05-13T23:59:59.999Z', '2026-06-18T00:00:00.000Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'garbage']) {
      expect(() => names.eventsIndexFor(timestamp, now)).toThrow(EventTimeOutsideWindowError);
    }
  });

  it('checks each call against the window at its own now, though it remembers the last one', () => {
    const names = new IndexNames('soc', defaultEventTimeWindow);
    const dayMs = 86_400_000;
    // The first day the window allows (30 days back, one of grace) and the last (one ahead, one of grace), at now and a day later.
    expect(names.eventsIndexFor('2026-05-15T00:00:00.000Z', now)).toBe('soc-events-2026.05.15');
    expect(() => names.eventsIndexFor('2026-05-15T00:00:00.000Z', now + dayMs)).toThrow(EventTimeOutsideWindowError);
    expect(names.eventsIndexFor('2026-06-18T00:00:00.000Z', now + dayMs)).toBe('soc-events-2026.06.18');
    expect(() => names.eventsIndexFor('2026-06-18T00:00:00.000Z', now)).toThrow(EventTimeOutsideWindowError);
    expect(names.eventsIndexFor('2026-05-15T12:00:00.000Z', now)).toBe('soc-events-2026.05.15');
  });

  it('names every day right, however many days it is asked for', () => {
    const names = new IndexNames('p');
    for (let round = 0; round < 2; round++) {
      for (let day = 0; day < 1000; day += 1) {
        const iso = new Date(Date.UTC(2000, 0, 1) + day * 86_400_000 + 3_600_000 * (day % 24)).toISOString();
        expect(names.eventsIndexFor(iso)).toBe(`p-events-${iso.slice(0, 10).replace(/-/g, '.')}`);
      }
    }
  });

  it('lets 800 events claiming 800 far-apart days create at most the window of daily indices', () => {
    const days = Array.from({ length: 800 }, (_, i) => new Date(Date.UTC(1 + i * 12, i % 12, 1 + (i % 28))).toISOString());
    const body = days.map((timestamp) => JSON.stringify({ '@timestamp': timestamp, message: 'm' })).join('\n');
    const parsed = parseEventBody(body);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)));
    const ingested = new Date(now).toISOString();
    const names = new IndexNames('soc', defaultEventTimeWindow);
    const indices = new Set(parsed.events.map((event) => names.eventsIndexFor(stampEvent(event, '0751', ingested, defaultEventTimeWindow)['@timestamp'], now)));
    expect(new Set(days.map((d) => d.slice(0, 10))).size).toBe(800);
    expect(indices.size).toBeLessThanOrEqual(2);
  });
});
