import type { RuleLevel, RuleRef } from '@soc/contracts';

/**
 * The rule references of detections the engine makes itself (not from a Sigma file). Fixed ids, so
 * fingerprints stay stable across releases and alerts can be filtered by them.
 */
export const indicatorRuleRef = (level: RuleLevel, tags: string[]): RuleRef => ({
  id: '6f1c2d3e-0a4b-4c5d-8e6f-7a8b9c0d1e2f',
  title: 'Indicator match',
  level,
  tags,
  references: [],
});

export const earlyWarningRuleRef = (level: RuleLevel, tags: string[]): RuleRef => ({
  id: '7a2d3e4f-1b5c-4d6e-9f70-8b9c0d1e2f30',
  title: 'Early warning: indicator of a campaign against other members',
  level,
  tags,
  references: [],
});

export const campaignRuleRef: RuleRef = {
  id: '8b3e4f50-2c6d-4e7f-a081-9c0d1e2f3041',
  title: 'Campaign across members',
  level: 'high',
  tags: ['shared-soc.campaign'],
  references: [],
};

export const memberOriginRuleRef: RuleRef = {
  id: '9c4f5061-3d7e-4f80-b192-0d1e2f304152',
  title: 'Attack from a member network against another member',
  level: 'high',
  tags: ['shared-soc.member_origin', 'attack.lateral_movement'],
  references: [],
};

/** What a member is told about its own network attacking someone: no word of who. */
export const ownCompromiseRuleRef: RuleRef = {
  id: 'ad506172-4e8f-4091-83a3-1e2f30415263',
  title: 'Your network attacked another member: probably compromised',
  level: 'high',
  tags: ['shared-soc.member_origin'],
  references: [],
};

/** Indicator confidence (0–100) to detection level. */
export function levelFromConfidence(confidence: number): RuleLevel {
  if (confidence >= 90) return 'critical';
  if (confidence >= 70) return 'high';
  if (confidence >= 40) return 'medium';
  return 'low';
}
