import { assessRisk, severityOfScore } from './risk-score';

const rule = (level: 'low' | 'medium' | 'high' | 'critical') => ({ rule: { id: 'r', title: 't', level, tags: [], references: [] } });

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

  it('moves the score with indicator confidence', () => {
    expect(assessRisk({ ...rule('medium'), confidence: 100 })).toMatchObject({
      risk_score: 60,
      reasons: ['rule level medium: base 50', 'indicator confidence 100: +10'],
    });
    expect(assessRisk({ ...rule('medium'), confidence: 0 }).risk_score).toBe(40);
  });

  it('adds the spread of a campaign and lets severity follow the score', () => {
    const campaign = assessRisk({ ...rule('high'), campaign: { members: ['a', 'b', 'c', 'd'] } }, 4);
    expect(campaign).toEqual({
      severity: 'critical',
      risk_score: 87,
      reasons: ['rule level high: base 73', 'member criticality 4: +5', 'seen at 4 members: +9'],
    });
    expect(assessRisk({ ...rule('high'), campaign: { members: Array.from({ length: 20 }, (_, i) => `m${i}`) } }).reasons).toContain('seen at 20 members: +15');
  });

  it('maps every score to the severity band it falls in', () => {
    expect([0, 19, 20, 39, 40, 64, 65, 84, 85, 100].map(severityOfScore)).toEqual([
      'informational',
      'informational',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });
});
