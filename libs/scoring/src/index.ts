export { assessRisk, type RiskAssessment } from './risk-score';
