import { alertingClient, type AlertingPaths } from '@soc/api-client';

/**
 * The alerting API through the console's proxy: same origin, the session cookie, no token in the
 * page (the console adds the person's token). Paths, parameters and answers are the generated
 * client's types (libs/api-client, from alerting's OpenAPI document).
 */
export const alerting = alertingClient('/api/alerting');

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type AlertPage = Json<AlertingPaths['/alerts']['get']['responses'][200]>;
export type Alert = AlertPage['alerts'][number];
export type AlertWithEvents = Json<AlertingPaths['/alerts/{id}']['get']['responses'][200]>;
export type AlertEvent = AlertWithEvents['events'][number];
export type AuditEntry = Json<AlertingPaths['/alerts/{id}/audit']['get']['responses'][200]>['entries'][number];
export type AlertStatus = Alert['status'];
export type Severity = Alert['severity'];
export type AlertListQuery = NonNullable<AlertingPaths['/alerts']['get']['parameters']['query']>;
export type AttemptsReport = Json<AlertingPaths['/v1/statistics/attempts']['get']['responses'][200]>;
export type StatisticsQuery = AlertingPaths['/v1/statistics/attempts']['get']['parameters']['query'];

export const alertStatuses: readonly AlertStatus[] = ['new', 'acknowledged', 'in_progress', 'resolved', 'false_positive', 'duplicate'];
export const openStatuses: readonly AlertStatus[] = ['new', 'acknowledged', 'in_progress'];
export const closingStatuses: readonly AlertStatus[] = ['resolved', 'false_positive', 'duplicate'];
export const severities: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'informational'];

/** An API's refusal as the page shows it: the API's own message (`{ error, message }`), else the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The answer's data, or an `ApiError` with the API's message. */
export function dataOf<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined && result.response.ok) return result.data;
  const error = result.error as { message?: unknown } | undefined;
  throw new ApiError(result.response.status, typeof error?.message === 'string' ? error.message : `HTTP ${result.response.status}`);
}
