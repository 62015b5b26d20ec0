import { detectionFingerprint, memberScope, allMembers, type Detection } from '@soc/contracts';
import { alertKey, alertRaisedBy, bringsNewObservable, foldDetection, newAlert, placeDetection } from './alert-lifecycle';
import { presentAlert } from './alert-presenter';

const risk = { severity: 'high' as const, risk_score: 73, reasons: ['rule level high: base 73'] };

function detection(firstSeen: string, eventIds: string[], member = '0751'): Detection {
  return {
    fingerprint: detectionFingerprint('r', member, '192.0.2.1', firstSeen),
    kind: 'rule',
    rule: { id: 'r', title: 'Rule', level: 'high', tags: [], references: [] },
    organization: { id: member },
    group_key: '192.0.2.1',
    window_start: firstSeen,
    first_seen: firstSeen,
    last_seen: firstSeen,
    event_count: eventIds.length,
    event_ids: eventIds,
    observables: [],
    detected_at: firstSeen,
  };
}

describe('placeDetection', () => {
  const open = newAlert(detection('2026-01-01T00:00:00.000Z', ['a']), risk, 1, '2026-01-01T00:00:00.000Z');
  const closed = { ...open, status: 'resolved' as const };

  it('names the alert id by key and generation, independent of the window', () => {
    expect(open.id).toBe(`${alertKey(detection('2026-01-01T05:00:00.000Z', []))}-1`);
  });

  it('recognises a redelivered contribution', () => {
    expect(placeDetection(open, detection('2026-01-01T00:00:00.000Z', ['a']), 60)).toBe('duplicate');
  });

  it('folds anything into an open alert, however late', () => {
    expect(placeDetection(open, detection('2026-02-01T00:00:00.000Z', ['b']), 60)).toBe('fold');
  });

  it('folds into a closed alert within the window after last_seen, and starts a new generation after it', () => {
    expect(placeDetection(closed, detection('2026-01-01T00:01:00.000Z', ['b']), 60)).toBe('fold');
    expect(placeDetection(closed, detection('2026-01-01T00:01:00.001Z', ['b']), 60)).toBe('next-generation');
  });

  it('keeps the higher risk when folding', () => {
    const folded = foldDetection(open, detection('2026-01-01T00:02:00.000Z', ['b']), { severity: 'critical', risk_score: 95, reasons: ['x'] }, 'now');
    expect(folded).toMatchObject({ count: 2, severity: 'critical', risk_score: 95, risk_reasons: ['x'], last_seen: '2026-01-01T00:02:00.000Z' });
  });
});

describe('alertRaisedBy', () => {
  const raising = detection('2026-01-01T00:00:00.000Z', ['a']);
  const alert = newAlert(raising, risk, 1, '2026-01-01T00:00:00.000Z');

  it('holds for the detection that created the alert, now or in an earlier delivery', () => {
    expect(alertRaisedBy({ outcome: 'created', alert }, raising)).toBe(true);
    expect(alertRaisedBy({ outcome: 'duplicate', alert }, raising)).toBe(true);
  });

  it('does not hold for a redelivery once the alert took further contributions, nor for a fold', () => {
    const later = detection('2026-01-01T00:02:00.000Z', ['b']);
    const grown = foldDetection(alert, later, risk, 'now');
    expect(alertRaisedBy({ outcome: 'duplicate', alert: grown }, raising)).toBe(false);
    expect(alertRaisedBy({ outcome: 'duplicate', alert }, later)).toBe(false);
    expect(alertRaisedBy({ outcome: 'folded', alert: grown, new_observables: false }, later)).toBe(false);
    expect(alertRaisedBy({ outcome: 'not_raised' }, later)).toBe(false);
  });
});

describe('bringsNewObservable', () => {
  it('holds when the detection names a field and value the alert does not hold, not for a value it has', () => {
    const held = { observables: [{ field: 'source.ip', value: '10.0.0.1' }] };
    expect(bringsNewObservable(held, { observables: [{ field: 'source.ip', value: '10.0.0.1' }] })).toBe(false);
    expect(bringsNewObservable(held, { observables: [{ field: 'source.ip', value: '91.240.118.23' }] })).toBe(true);
    expect(bringsNewObservable(held, { observables: [{ field: 'destination.ip', value: '10.0.0.1' }] })).toBe(true);
    expect(bringsNewObservable(held, { observables: [] })).toBe(false);
  });
});

describe('presentAlert', () => {
  const linked = { ...newAlert(detection('2026-01-01T00:00:00.000Z', ['a']), risk, 1, 'now'), campaign: { id: 'c-1', members: ['0751', '0461', '0101'] } };

  it('shows a member how many other members a campaign touched, never which', () => {
    const seen = presentAlert(linked, memberScope('0751'));
    expect(seen.campaign).toEqual({ id: 'c-1', other_members_affected: 2 });
    expect(JSON.stringify(seen)).not.toMatch(/"0461"|"0101"/);
  });

  it('shows SOC roles the members and drops internals', () => {
    const seen = presentAlert(linked, allMembers);
    expect(seen.campaign).toEqual({ id: 'c-1', members: ['0751', '0461', '0101'], other_members_affected: 2 });
    expect(seen).not.toHaveProperty('contributions');
    expect(seen).not.toHaveProperty('alert_key');
  });
});
