import type { Alert } from '@soc/contracts';
import { AlertChanges } from './alert-changes';

const alert = (id: string, updated_at: string): Alert =>
  ({ id, updated_at, organization: { id: '0751' }, status: 'new', severity: 'high' }) as unknown as Alert;

describe(AlertChanges.name, () => {
  it('sends nothing on the first look of a new stream: the page loaded those alerts itself', () => {
    const changes = new AlertChanges();
    expect(changes.changed([alert('a', '2026-12-03T08:00:00.000Z')], true)).toEqual([]);
    expect(changes.watermark).toBe('2026-12-03T08:00:00.000Z');
  });

  it('sends a new alert and a changed one, oldest change first, and an unchanged one never again', () => {
    const changes = new AlertChanges();
    changes.changed([alert('a', '2026-12-03T08:00:00.000Z'), alert('b', '2026-12-03T08:00:01.000Z')], true);
    const next = changes.changed(
      [alert('c', '2026-12-03T08:00:05.000Z'), alert('a', '2026-12-03T08:00:03.000Z'), alert('b', '2026-12-03T08:00:01.000Z')],
      false,
    );
    expect(next.map((a) => a.id)).toEqual(['a', 'c']);
    expect(changes.changed([alert('c', '2026-12-03T08:00:05.000Z')], false)).toEqual([]);
    expect(changes.watermark).toBe('2026-12-03T08:00:05.000Z');
  });

  it("sends on a reconnect's first look what changed after the browser's Last-Event-ID, less five seconds of overlap", () => {
    const changes = new AlertChanges('2026-12-03T08:00:10.000Z');
    const first = changes.changed(
      [alert('a', '2026-12-03T08:00:01.000Z'), alert('b', '2026-12-03T08:00:06.000Z'), alert('c', '2026-12-03T08:00:12.000Z')],
      true,
    );
    expect(first.map((a) => a.id)).toEqual(['b', 'c']);
  });

  it('ignores a Last-Event-ID that is not a time', () => {
    const changes = new AlertChanges('not-a-time');
    expect(changes.changed([alert('a', '2026-12-03T08:00:01.000Z')], true)).toEqual([]);
  });
});
