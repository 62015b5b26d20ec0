import fc from 'fast-check';
import { socEventSchema } from '@soc/contracts';
import { checkProperty } from '../../../test/e2e/support/fuzz';
import { dottedEcsEvent, ecsEvent, forgedEvent, jsonClone, victimMember, wronglyTypedEvent, writeSpelled } from '../../../test/e2e/support/ingest-arbitraries';
import { anyInput } from '../../../test/e2e/support/schema-fuzz';
import { defaultEventLimits } from './canonical-event';
import { checkIndexedFields } from './indexed-field-check';
import { readInboundEvent } from './inbound-event';
import { stampEvent } from './stamp-event';

// Property-based fuzzing (fast-check, FUZZ_SEED: docs/TESTING.md) of the one door every inbound
// event passes (readInboundEvent, then stampEvent), with the e2e ingest fuzzing's arbitraries:
// whatever the spelling, a stamped event carries exactly the collector's identity, and stays indexable.
const sender = '0751';
const ingested = '2026-12-02T12:00:00.000Z';

/** Every leaf as (dotted path, value): nested and dotted spellings read the same. */
function leafPaths(value: unknown, prefix = ''): Array<[string, unknown]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [[prefix, value]];
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key));
}

/** A valid event with a forged field at a random, possibly dotted, spelling of any depth under a reserved root. */
const forgedDeeper = fc
  .tuple(
    ecsEvent,
    fc.constantFrom(
      ['organization', 'id'],
      ['organization', 'name', 'x'],
      ['event', 'id'],
      ['event', 'ingested'],
      ['soc', 'claimed_timestamp'],
      ['organization'],
    ),
    fc.nat(3),
    fc.constantFrom<unknown>(victimMember, { id: victimMember }, [victimMember], null),
  )
  .map(([event, path, split, value]) => {
    const out = jsonClone(event);
    writeSpelled(out, [...path], value, { split });
    return out;
  });

describe('inbound event door under fuzzed input', () => {
  it('never throws; an admitted event, once stamped, carries only the sender, its own id, and indexes', () => {
    // Events as the wire delivers them (through JSON: plain objects), and anything at all as is.
    const wire = <T>(arbitrary: fc.Arbitrary<T>) => arbitrary.map((value) => jsonClone(value) as unknown);
    const input = fc.oneof(wire(ecsEvent), wire(dottedEcsEvent), wire(forgedEvent), wire(forgedEvent), wire(forgedDeeper), wire(wronglyTypedEvent), anyInput);
    let admitted = 0;
    checkProperty(
      fc.property(input, (value) => {
        const read = readInboundEvent(value, defaultEventLimits);
        if (!read.ok) {
          if (read.problems.length === 0 || read.problems.some((p) => typeof p.path !== 'string' || typeof p.message !== 'string')) {
            throw new Error(`refused without naming a field: ${JSON.stringify(read.problems)}`);
          }
          return;
        }
        admitted++;
        const stamped = stampEvent(read.event, sender, ingested);
        const leaves = leafPaths(stamped);
        const reserved = leaves.filter(([path]) => /^(organization(\.|$)|event\.(id|ingested)$|soc(\.|$))/.test(path));
        const dotted = dottedKeys(stamped);
        const ok =
          JSON.stringify(reserved.map(([p]) => p).sort()) === JSON.stringify(['event.id', 'event.ingested', 'organization.id']) &&
          reserved.find(([p]) => p === 'organization.id')?.[1] === sender &&
          reserved.find(([p]) => p === 'event.ingested')?.[1] === ingested;
        if (!ok) throw new Error(`stamped event keeps a payload's reserved field: ${JSON.stringify(reserved)}`);
        if (dotted.length > 0) throw new Error(`stamped event has dotted keys: ${JSON.stringify(dotted)}`);
        const problems = checkIndexedFields(stamped as Record<string, unknown>);
        if (problems.length > 0) throw new Error(`stamped event does not index: ${JSON.stringify(problems)}`);
        const contract = socEventSchema.safeParse(stamped);
        if (!contract.success) throw new Error(`stamped event breaks the event contract: ${contract.error.message}`);
      }),
      1000,
    );
    expect(admitted).toBeGreaterThan(100); // the stamp was checked on many admitted events
  });
});

/** Dotted keys outside the flattened fields (labels, winlog.event_data), where keys are data. */
function dottedKeys(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || path === 'labels' || path === 'winlog.event_data') return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(key.includes('.') ? [`${path}[${key}]`] : []),
    ...dottedKeys(child, path ? `${path}.${key}` : key),
  ]);
}
