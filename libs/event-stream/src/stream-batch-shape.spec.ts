import { streams } from '@soc/contracts';
import { hasStreamBatchShape } from './stream-batch-shape';

const valid = () => ({
  batch_id: 'b1',
  correlation_id: 'c1',
  events: [0, 1, 2].map((i) => ({
    '@timestamp': '2026-03-29T01:00:00.000Z',
    event: { id: `e${i}`, ingested: '2026-03-29T01:00:01.000Z' },
    organization: { id: '0751' },
    source: { ip: '10.0.0.1' },
  })),
});

type Batch = ReturnType<typeof valid>;
type Mutation = (batch: Batch) => void;

// Every value a JSON entry can hold in a place, and "missing".
const values: unknown[] = [undefined, null, '', 'x', 0, 1, true, false, [], ['x'], {}, { id: 'x' }];
const places: Array<(batch: Batch, value: unknown) => void> = [
  (b, v) => set(b, 'batch_id', v),
  (b, v) => set(b, 'correlation_id', v),
  (b, v) => set(b, 'events', v),
  ...[0, 2].flatMap((i) => [
    (b: Batch, v: unknown) => set(b.events, String(i), v),
    (b: Batch, v: unknown) => set(b.events[i]!, '@timestamp', v),
    (b: Batch, v: unknown) => set(b.events[i]!, 'event', v),
    (b: Batch, v: unknown) => set(b.events[i]!.event, 'id', v),
    (b: Batch, v: unknown) => set(b.events[i]!, 'organization', v),
    (b: Batch, v: unknown) => set(b.events[i]!.organization, 'id', v),
    (b: Batch, v: unknown) => set(b.events[i]!, 'source', v),
  ]),
];
const mutations: Mutation[] = places.flatMap((place) => values.map((value) => (b: Batch) => place(b, value)));

function set(target: object, key: string, value: unknown): void {
  if (value === undefined) delete (target as Record<string, unknown>)[key];
  else (target as Record<string, unknown>)[key] = structuredClone(value);
}

/** The JSON a stream entry would hold (no undefined left), parsed back as the reader sees it. */
const asRead = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');
const schemaAccepts = (value: unknown) => streams.events.readPayload.safeParse(value).success;

describe(hasStreamBatchShape.name, () => {
  it('accepts a batch the read schema accepts, with or without a correlation id', () => {
    const batch = valid();
    expect(hasStreamBatchShape(asRead(batch))).toBe(true);
    delete (batch as Partial<Batch>).correlation_id;
    expect(hasStreamBatchShape(asRead(batch))).toBe(true);
  });

  it('decides as the read schema does for every value in every place it checks', () => {
    let refused = 0;
    for (const mutate of mutations) {
      const batch = valid();
      mutate(batch);
      const value = asRead(batch);
      expect([JSON.stringify(value), hasStreamBatchShape(value)]).toEqual([JSON.stringify(value), schemaAccepts(value)]);
      if (!schemaAccepts(value)) refused++;
    }
    expect(refused).toBeGreaterThan(100);
    for (const whole of [null, [], [valid()], 'batch', 1, true, {}]) expect(hasStreamBatchShape(whole)).toBe(schemaAccepts(whole));
  });

  it('decides as the read schema does for random combinations of three changes', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let round = 0; round < 3000; round++) {
      const batch = valid();
      for (let n = 0; n < 3; n++) {
        try {
          mutations[Math.floor(random() * mutations.length)]!(batch);
        } catch {
          // An earlier change took the place away (an event that is now a number): nothing to change.
        }
      }
      const value = asRead(batch);
      expect([JSON.stringify(value), hasStreamBatchShape(value)]).toEqual([JSON.stringify(value), schemaAccepts(value)]);
    }
  });
});
