import { incidentPriority, isBeingWorked } from './incident-priority';

describe('incidentPriority', () => {
  it('puts every critical before every high, and the riskier first within a severity', () => {
    const ordered = [
      { severity: 'high' as const, risk_score: 80 },
      { severity: 'critical' as const, risk_score: 85 },
      { severity: 'high' as const, risk_score: 70 },
      { severity: 'critical' as const, risk_score: 100 },
      { severity: 'low' as const, risk_score: 30 },
    ].sort((a, b) => incidentPriority(a) - incidentPriority(b));
    expect(ordered.map((a) => `${a.severity}:${a.risk_score}`)).toEqual(['critical:100', 'critical:85', 'high:80', 'high:70', 'low:30']);
  });
});

describe('isBeingWorked', () => {
  it('keeps a new alert nobody took on the list', () => {
    expect(isBeingWorked('new')).toBe(false);
    expect(isBeingWorked('new', null)).toBe(false);
  });

  it('takes an alert off the list once it left new or got an assignee', () => {
    expect(isBeingWorked('acknowledged')).toBe(true);
    expect(isBeingWorked('resolved', null)).toBe(true);
    expect(isBeingWorked('new', 'soc-anna')).toBe(true);
  });
});
