export { createElasticsearchClient, pingElasticsearch, type ElasticsearchClient } from './elasticsearch.client';
export { IndexNames } from './index-names';
export { ensureIndexTemplates, eventMappings, alertMappings } from './index-templates';
export { AlertRepository, type AlertQuery } from './alert.repository';
export { EventRepository } from './event.repository';
