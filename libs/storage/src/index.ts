export { createElasticsearchClient, pingElasticsearch, type ElasticsearchClient } from './elasticsearch.client';
export { IndexNames, EventTimeOutsideWindowError } from './index-names';
export { eventMappingFrom } from './event-mapping';
export { ensureIndexTemplates, eventMappings, alertMappings, auditMappings, exceptionMappings } from './index-templates';
export { AlertRepository, InvalidCursorError, maxResultWindow, type AlertQuery, type AlertPage } from './alert.repository';
export { AuditRepository, type AuditEntry } from './audit.repository';
export { ExceptionRepository } from './exception.repository';
export { EventRepository, type RefusedEvent } from './event.repository';
export { StatisticsRepository, type MemberDayQuery } from './statistics.repository';
