import { assessRisk } from './risk-score';

const rule = (level: 'low' | 'high' | 'critical') => ({ rule: { id: 'r', title: 't', level, tags: [], references: [] } });

describe('assessRisk', () => {
  it('takes severity from the rule level and explains the score', () => {
    expect(assessRisk(rule('high'))).toEqual({ severity: 'high', risk_score: 73, reasons: ['rule level high: base 73'] });
  });

  it('raises the score for a critical member and never leaves 0–100', () => {
    const critical = assessRisk(rule('critical'), 5);
    expect(critical.risk_score).toBe(100);
    expect(critical.reasons).toContain('member criticality 5: +10');
    expect(assessRisk(rule('low'), 1).risk_score).toBe(15);
  });
});
