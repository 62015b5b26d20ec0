import { incidentPriority } from './incidents.queue';

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
