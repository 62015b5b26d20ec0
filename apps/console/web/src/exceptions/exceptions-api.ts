import type { AlertingPaths } from '@soc/api-client';

/** alerting's exception routes' types, from the generated client (alerting's OpenAPI document). */
export type ExceptionList = AlertingPaths['/exceptions']['get']['responses'][200]['content']['application/json'];
export type ExceptionItem = ExceptionList['exceptions'][number];
export type CreatedException = AlertingPaths['/exceptions']['post']['responses'][201]['content']['application/json'];
export type ExceptionInput = AlertingPaths['/exceptions']['post']['requestBody']['content']['application/json'];
export type ConditionInput = ExceptionInput['conditions'][number];
export type ApiProblem = { path: string; message: string };
