export { PinoLogger } from './pino-logger';
export { HealthController, READINESS_PROBES, type ReadinessProbe } from './health.controller';
export { createHttpApp, type HttpAppOptions } from './http-app';
export {
  DeclareAccess, declaredAccess, guardsOf, openApiDocument, serveOpenApi,
  type OpenApiOptions, type RouteAccess, type RouteAccessReader,
} from './openapi';
