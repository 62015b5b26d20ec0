// Public API of @soc/correlation: the correlation engine composing rules (@soc/sigma), indicators
// (@soc/indicators) and the shared unit's cross-member logic. Import from here only.
export type { CampaignMember, CampaignSighting, CampaignState, CampaignStore } from './campaign-store';
export { sightingsByKey } from './campaign-store';
export { InMemoryCampaignStore, mergeCampaign, markCampaignFired, compareMembers } from './in-memory-campaign-store';
export type { StoredCampaign } from './in-memory-campaign-store';
export { commitCorrelation, CorrelationEngine, defaultCorrelationEngineOptions } from './correlation-engine';
export type {
  BatchIndicatorSighting,
  CorrelationCommit,
  CorrelationEngineOptions,
  CorrelationResult,
  CorrelationStores,
  IndicatorPromotion,
  MemberOwnership,
} from './correlation-engine';
export { indicatorRuleRef, campaignRuleRef, memberOriginRuleRef, earlyWarningRuleRef, ownCompromiseRuleRef, levelFromConfidence } from './built-in-rules';
export { promotedIndicatorSource, campaignKeyOfIndicator, actorCampaignKey } from './campaign-detector';
export { indicatorFields } from './indicator-matcher';
export type { IndicatorField } from './indicator-matcher';
export { MemberNetworks } from './member-networks';
export type { MemberRanges } from './member-networks';
