import type { Detection, RuleLevel } from '@soc/contracts';

export interface RiskAssessment {
  severity: RuleLevel;
  risk_score: number;
  reasons: string[];
}

const baseScore: Record<RuleLevel, number> = { informational: 10, low: 25, medium: 50, high: 73, critical: 90 };

/** Score bands of each severity: a rule's base score lands in its own level's band. */
const severityFloors: Array<[RuleLevel, number]> = [
  ['critical', 85],
  ['high', 65],
  ['medium', 40],
  ['low', 20],
  ['informational', 0],
];

export function severityOfScore(score: number): RuleLevel {
  return severityFloors.find(([, floor]) => score >= floor)![0];
}

const signed = (n: number) => `${n > 0 ? '+' : ''}${n}`;

/**
 * Severity and a 0–100 risk score, with the reasons an analyst sees. The rule's level sets the
 * base; indicator confidence (50 neutral) moves it by up to ±10, a member's criticality (1–5, 3
 * neutral) by up to ±10, and a campaign's spread adds 3 per further member (at most +15): an
 * attack seen at many members at once is more likely real and more urgent. Severity follows the
 * final score, so a high rule at a critical member across a campaign becomes critical.
 */
export function assessRisk(detection: Pick<Detection, 'rule'> & Partial<Pick<Detection, 'confidence' | 'campaign'>>, memberCriticality = 3): RiskAssessment {
  const level = detection.rule.level;
  const reasons = [`rule level ${level}: base ${baseScore[level]}`];
  let score = baseScore[level];
  const adjust = (delta: number, why: string) => {
    if (delta === 0) return;
    score += delta;
    reasons.push(`${why}: ${signed(delta)}`);
  };
  if (detection.confidence !== undefined) adjust(Math.round((detection.confidence - 50) / 5), `indicator confidence ${detection.confidence}`);
  adjust((memberCriticality - 3) * 5, `member criticality ${memberCriticality}`);
  const spread = detection.campaign?.members.length ?? 1;
  if (spread > 1) adjust(Math.min(15, 3 * (spread - 1)), `seen at ${spread} members`);
  const risk_score = Math.max(0, Math.min(100, score));
  return { severity: severityOfScore(risk_score), risk_score, reasons };
}
