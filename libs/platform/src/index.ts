export { PinoLogger } from './pino-logger';
export { HealthController, READINESS_PROBES, type ReadinessProbe } from './health.controller';
export { createHttpApp, type HttpAppOptions } from './http-app';
export { errorResponseOf, codeOfStatus, retryAfterSeconds, type ErrorBody, type ErrorContext, type ErrorResponse } from './error-response';
export { ErrorResponseFilter } from './error-response.filter';
export { parseOr400, invalidCursor, type RequestPart } from './request-parsing';
export { invalidUtf8Offset, decodeUtf8Body } from './utf8';
export {
  DeclareAccess, declaredAccess, guardsOf, openApiDocument, serveOpenApi,
  type OpenApiOptions, type RouteAccess, type RouteAccessReader,
} from './openapi';
export { StructuredLogger, LogEntry, type LogFields } from './logger-fields';
