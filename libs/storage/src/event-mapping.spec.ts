import type { MappingProperty } from '@elastic/elasticsearch/lib/api/types';
import { indexedEventFields } from '@soc/contracts';
import { checkIndexedFields } from '@soc/ingest';
import { eventMappingFrom } from './event-mapping';
import { eventMappings } from './index-templates';

/** Every leaf of a mapping as `path → type`, and every object path. */
function leavesOf(properties: Record<string, MappingProperty>, prefix = ''): { leaves: Map<string, string>; objects: string[] } {
  const leaves = new Map<string, string>();
  const objects: string[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const inner = (property as { properties?: Record<string, MappingProperty> }).properties;
    if (inner) {
      objects.push(path);
      const below = leavesOf(inner, path);
      below.leaves.forEach((type, leaf) => leaves.set(leaf, type));
      objects.push(...below.objects);
    } else {
      leaves.set(path, String(property.type));
    }
  }
  return { leaves, objects };
}

/** A value Elasticsearch refuses for each mapped type. */
const wrongValue: Record<string, unknown> = {
  keyword: { an: 'object' },
  text: { an: 'object' },
  ip: '999.1.1.1',
  integer: 'abc',
  long: 'abc',
  date: 'yesterday',
  flattened: 'scalar',
};

function eventWith(path: string, value: unknown): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  const segments = path.split('.');
  let level = event;
  for (const segment of segments.slice(0, -1)) level = (level[segment] = {}) as Record<string, unknown>;
  level[segments[segments.length - 1]] = value;
  return event;
}

describe('events mapping and ingest check: one source of truth', () => {
  const { leaves, objects } = leavesOf(eventMappings.properties!);

  it('puts into the template exactly the mapping derived from the field table', () => {
    expect(eventMappings).toEqual(eventMappingFrom(indexedEventFields));
    expect(eventMappings.dynamic).toBe(false);
    expect(Object.fromEntries(leaves)).toEqual(Object.fromEntries(Object.entries(indexedEventFields).map(([path, field]) => [path, field.type])));
  });

  it('keeps the mapping of the fields that were mapped by hand before the table', () => {
    expect(eventMappings.properties).toMatchObject({
      '@timestamp': { type: 'date' },
      event: { properties: { original: { type: 'text', index: false }, severity: { type: 'long' }, id: { type: 'keyword', ignore_above: 1024 } } },
      source: { properties: { ip: { type: 'ip' }, port: { type: 'integer' } } },
      winlog: { properties: { event_data: { type: 'flattened' } } },
      labels: { type: 'flattened' },
      message: { type: 'text' },
    });
  });

  it.each([...leaves])('checks the mapped field %s (%s) at ingest', (path, type) => {
    expect(checkIndexedFields(eventWith(path, wrongValue[type]))).toEqual([{ path, message: expect.any(String) }]);
  });

  it.each(objects)('checks that the mapped object %s is an object at ingest', (path) => {
    expect(checkIndexedFields(eventWith(path, 'scalar'))).toEqual([{ path, message: expect.stringContaining('must be an object') }]);
  });
});
