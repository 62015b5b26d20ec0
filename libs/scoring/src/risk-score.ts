import type { Detection, RuleLevel } from '@soc/contracts';

export interface RiskAssessment {
  severity: RuleLevel;
  risk_score: number;
  reasons: string[];
}

const baseScore: Record<RuleLevel, number> = { informational: 10, low: 25, medium: 50, high: 73, critical: 90 };

/**
 * Severity and a 0–100 risk score, with the reasons an analyst sees. The rule's level sets the
 * base; a member's criticality (1–5, 3 is neutral) moves it by up to ±10.
 */
export function assessRisk(detection: Pick<Detection, 'rule'>, memberCriticality = 3): RiskAssessment {
  const level = detection.rule.level;
  const reasons = [`rule level ${level}: base ${baseScore[level]}`];
  let score = baseScore[level];
  const criticalityDelta = (memberCriticality - 3) * 5;
  if (criticalityDelta !== 0) {
    score += criticalityDelta;
    reasons.push(`member criticality ${memberCriticality}: ${criticalityDelta > 0 ? '+' : ''}${criticalityDelta}`);
  }
  return { severity: level, risk_score: Math.max(0, Math.min(100, score)), reasons };
}
