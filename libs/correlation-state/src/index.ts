export { WindowStateRepository } from './window-state.repository';
export { CampaignStateRepository } from './campaign-state.repository';
