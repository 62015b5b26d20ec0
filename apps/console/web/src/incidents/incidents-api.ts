import type { AlertingPaths } from '@soc/api-client';

/** `GET /queues/incidents`'s answer, from the generated client (alerting's OpenAPI document). */
export type IncidentPage = AlertingPaths['/queues/incidents']['get']['responses'][200]['content']['application/json'];
export type Incident = IncidentPage['items'][number];
