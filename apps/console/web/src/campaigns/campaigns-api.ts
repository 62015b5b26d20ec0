import type { AlertingPaths } from '@soc/api-client';

/** The answers of alerting's campaign routes (SOC roles), typed by the generated client. */
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type CampaignList = Json<AlertingPaths['/campaigns']['get']['responses'][200]>;
export type CampaignListQuery = NonNullable<AlertingPaths['/campaigns']['get']['parameters']['query']>;
export type CampaignSummary = CampaignList['campaigns'][number];
export type CampaignDetail = Json<AlertingPaths['/campaigns/{id}']['get']['responses'][200]>;
export type CampaignSpread = CampaignDetail['spread'][number];
export type CampaignMemberAlert = CampaignDetail['alerts'][number];
