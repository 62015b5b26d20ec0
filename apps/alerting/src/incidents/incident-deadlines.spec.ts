import type { IncidentItem } from '@soc/contracts';
import { incidentView } from './incident-deadlines';

const item: IncidentItem = {
  alert_id: 'a1',
  member: '0751',
  severity: 'critical',
  risk_score: 90,
  rule: 'SSH brute force',
  priority: 1010,
  enqueued_at: '2026-12-03T10:00:00.000Z',
};

describe('incidentView', () => {
  it("puts the SLA deadline at enqueued + the severity's SLA and the next escalation at the pending timer", () => {
    const view = incidentView(item, { escalation_level: 1, assignee: null }, { level: 2, dueAt: Date.parse('2026-12-03T10:30:00Z') }, 900_000);
    expect(view).toMatchObject({
      escalation_level: 1,
      assignee: null,
      sla_seconds: 900,
      sla_due_at: '2026-12-03T10:15:00.000Z',
      next_escalation_level: 2,
      next_escalation_at: '2026-12-03T10:30:00.000Z',
    });
  });

  it('says level 0, no assignee and no next escalation when neither the alert nor a timer is there', () => {
    expect(incidentView(item, undefined, undefined, 60_000)).toMatchObject({
      escalation_level: 0,
      assignee: null,
      next_escalation_level: null,
      next_escalation_at: null,
    });
  });
});
