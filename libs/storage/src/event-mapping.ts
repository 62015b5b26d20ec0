import type { MappingProperty, MappingTypeMapping } from '@elastic/elasticsearch/lib/api/types';
import { indexedEventFields, type IndexedField } from '@soc/contracts';

/** Long values are not indexed for exact match beyond this (Elasticsearch skips them, the event is kept). */
const keywordIgnoreAbove = 1024;

function propertyOf(field: IndexedField): MappingProperty {
  switch (field.type) {
    case 'keyword':
      return { type: 'keyword', ignore_above: keywordIgnoreAbove };
    case 'text':
      return field.index === false ? { type: 'text', index: false } : { type: 'text' };
    default:
      return { type: field.type };
  }
}

/**
 * The events index mapping, derived from the field table of libs/contracts, the same table the
 * collector checks every event against (`checkIndexedFields`): what is mapped is what is checked.
 * `dynamic: false`: any other field stays in `_source`, unindexed, so senders cannot grow the mapping.
 */
export function eventMappingFrom(fields: Readonly<Record<string, IndexedField>> = indexedEventFields): MappingTypeMapping {
  const properties: Record<string, MappingProperty> = {};
  for (const [path, field] of Object.entries(fields)) {
    const segments = path.split('.');
    let level = properties;
    for (const segment of segments.slice(0, -1)) {
      const object = (level[segment] ??= { properties: {} }) as { properties: Record<string, MappingProperty> };
      level = object.properties;
    }
    level[segments[segments.length - 1]] = propertyOf(field);
  }
  return { dynamic: false, properties };
}
