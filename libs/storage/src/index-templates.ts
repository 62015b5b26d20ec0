import type { Client } from '@elastic/elasticsearch';
import type { MappingTypeMapping } from '@elastic/elasticsearch/lib/api/types';
import { eventMappingFrom } from './event-mapping';
import { IndexNames } from './index-names';
import { defaultIndexSettings, type IndexSettings } from './index-settings';

const keyword = { type: 'keyword', ignore_above: 1024 } as const;

/**
 * Only the fields rules, triage and statistics query are mapped, from the one field table the
 * collector also checks events against (libs/contracts `indexedEventFields`, see
 * `eventMappingFrom`); anything else an event carries is kept in `_source` unindexed
 * (`dynamic: false`), so a forwarder cannot blow up the mapping. Only core field types are used
 * (no `wildcard`, `match_only_text`): they exist in every Elasticsearch 8 distribution, including
 * the minimal one used for local runs and tests.
 */
export const eventMappings: MappingTypeMapping = eventMappingFrom();

export const alertMappings: MappingTypeMapping = {
  dynamic: false,
  properties: {
    id: keyword,
    kind: keyword,
    rule: { properties: { id: keyword, title: { type: 'text', fields: { raw: keyword } }, level: keyword, tags: keyword, author: keyword } },
    organization: { properties: { id: keyword } },
    group_key: keyword,
    status: keyword,
    severity: keyword,
    risk_score: { type: 'integer' },
    count: { type: 'long' },
    late_event_count: { type: 'long' },
    first_seen: { type: 'date' },
    last_seen: { type: 'date' },
    event_ids: keyword,
    observables: { properties: { field: keyword, value: keyword } },
    alert_key: keyword,
    generation: { type: 'integer' },
    fingerprint: keyword,
    assignee: keyword,
    escalated: { type: 'boolean' },
    escalation_level: { type: 'integer' },
    campaign: { properties: { id: keyword, members: keyword } },
    created_at: { type: 'date' },
    updated_at: { type: 'date' },
  },
};

export const auditMappings: MappingTypeMapping = {
  dynamic: false,
  properties: {
    id: keyword,
    target: { properties: { type: keyword, id: keyword } },
    organization: { properties: { id: keyword } },
    actor: { properties: { sub: keyword, role: keyword, name: keyword } },
    action: keyword,
    at: { type: 'date' },
  },
};

export const exceptionMappings: MappingTypeMapping = {
  dynamic: false,
  properties: {
    id: keyword,
    scope: { properties: { kind: keyword, member_id: keyword } },
    rule_id: keyword,
    owner: keyword,
    expires_at: { type: 'date' },
    expired_at: { type: 'date' },
    created_at: { type: 'date' },
  },
};

/**
 * Creates or updates the index templates, and the alerts index; safe to run at every start. The
 * settings apply to indices created afterwards (a new daily events index the next day); existing
 * indices keep theirs until an operator changes them (docs/OPERATIONS.md).
 */
export async function ensureIndexTemplates(client: Client, names: IndexNames, index: IndexSettings = defaultIndexSettings): Promise<void> {
  const settings = { number_of_shards: 1, number_of_replicas: index.replicas, refresh_interval: '1s' };
  await client.indices.putIndexTemplate({
    name: `${names.prefix}-events`,
    index_patterns: [names.eventsPattern],
    priority: 200,
    template: {
      settings: { number_of_shards: index.eventsShards, number_of_replicas: index.replicas, refresh_interval: index.eventsRefreshInterval },
      mappings: eventMappings,
    },
  });
  await client.indices.putIndexTemplate({
    name: `${names.prefix}-alerts`,
    index_patterns: [names.alerts],
    priority: 200,
    template: { settings, mappings: alertMappings },
  });
  for (const [index, mappings] of [
    [names.audit, auditMappings],
    [names.exceptions, exceptionMappings],
  ] as const) {
    await client.indices.putIndexTemplate({ name: index, index_patterns: [index], priority: 200, template: { settings, mappings } });
  }
  for (const index of [names.alerts, names.audit, names.exceptions]) {
    const exists = await client.indices.exists({ index });
    if (exists) {
      // A template shapes only indices created after it: the audit index of an existing deployment
      // gets the fields added since (actor.name, docs/AUTH.md) here. Adding a field never fails.
      if (index === names.audit) await client.indices.putMapping({ index, properties: auditMappings.properties });
      continue;
    }
    await client.indices.create({ index }).catch((error: { meta?: { body?: { error?: { type?: string } } } }) => {
      // Another replica created it between our check and our create.
      if (error.meta?.body?.error?.type !== 'resource_already_exists_exception') throw error;
    });
  }
}
