import type { StoredAlert } from './alert-lifecycle';
import { escalated } from './escalation';

const alert = { id: 'a-1', status: 'new', escalated: false, escalation_level: 0, updated_at: 'then' } as StoredAlert;

describe('escalated', () => {
  it("escalates an alert nobody acknowledged to the timer's level", () => {
    expect(escalated(alert, 1, 'now')).toMatchObject({ escalated: true, escalation_level: 1, updated_at: 'now' });
  });

  it('leaves an acknowledged alert alone', () => {
    const acknowledged = { ...alert, status: 'acknowledged' as const };
    expect(escalated(acknowledged, 1, 'now')).toBe(acknowledged);
  });

  it('changes nothing when a timer of this level already ran', () => {
    const once = escalated(alert, 1, 'now');
    expect(escalated(once, 1, 'later')).toBe(once);
  });
});
