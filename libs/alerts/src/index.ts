export { assessRisk, severityOfScore, type RiskAssessment } from './risk-score';
export {
  ExceptionIndex,
  exceptionConditionSchema,
  exceptionInputSchema,
  isActive,
  matchingException,
  maxExceptionConditions,
  type AlertException,
  type ExceptionCondition,
  type ExceptionInput,
} from './alert-exception';
