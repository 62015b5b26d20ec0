import type { StoredAlert } from '@soc/alerts';
import { detectionContributionId, detectionSchema, type Detection } from '@soc/contracts';
import { intakeLogFields } from './intake-log-fields';

const detection: Detection = detectionSchema.parse({
  fingerprint: 'a'.repeat(40),
  kind: 'correlation',
  rule: { id: 'ssh-bruteforce', title: 'SSH brute force', level: 'high' },
  organization: { id: '0751' },
  group_key: '203.0.113.9',
  window_start: '2026-11-28T09:00:00Z',
  first_seen: '2026-11-28T09:00:00Z',
  last_seen: '2026-11-28T09:01:00Z',
  event_count: 10,
  event_ids: ['e1', 'e2'],
  detected_at: '2026-11-28T09:01:01Z',
  correlation_id: 'c-42',
});

describe(intakeLogFields.name, () => {
  it('names the alert a detection went to, its member, rule and the correlation id of its batch', () => {
    const alert = { id: 'alert-7-1' } as StoredAlert;
    expect(intakeLogFields(detection, { outcome: 'created', alert })).toEqual({
      outcome: 'created',
      alert_id: 'alert-7-1',
      exception_id: undefined,
      member_id: '0751',
      rule_id: 'ssh-bruteforce',
      kind: 'correlation',
      correlation_id: 'c-42',
      contribution_id: detectionContributionId(detection),
      event_count: 10,
    });
  });

  it('names the exception of a suppressed detection, and no alert', () => {
    expect(intakeLogFields(detection, { outcome: 'suppressed', exception_id: 'exc-1' })).toMatchObject({
      outcome: 'suppressed',
      alert_id: undefined,
      exception_id: 'exc-1',
    });
  });

  it('leaves the correlation id out for a detection queued before it existed', () => {
    const { correlation_id: _, ...old } = detection;
    expect(intakeLogFields(old, { outcome: 'not_raised' })).toMatchObject({ outcome: 'not_raised', alert_id: undefined, correlation_id: undefined });
  });
});
