import { MicroBatcher } from './intake-batcher';

describe(MicroBatcher.name, () => {
  /** A batcher that records its batches and answers each item by `answer`. */
  function recording(limits: { maxSize: number; windowMs: number }, answer: (item: number) => string | Error = (item) => `done ${item}`) {
    const batches: number[][] = [];
    const batcher = new MicroBatcher(async (items: number[]) => {
      batches.push(items);
      return items.map(answer);
    }, limits);
    return { batcher, batches };
  }

  it('runs the items handed to it within the window as one batch, each caller getting its own outcome', async () => {
    const { batcher, batches } = recording({ maxSize: 10, windowMs: 5 });
    const outcomes = await Promise.all([1, 2, 3].map((item) => batcher.submit(item)));
    expect(outcomes).toEqual(['done 1', 'done 2', 'done 3']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('starts a batch as soon as it is full, without waiting for the window', async () => {
    const { batcher, batches } = recording({ maxSize: 2, windowMs: 60_000 });
    const outcomes = await Promise.all([1, 2, 3, 4].map((item) => batcher.submit(item)));
    expect(outcomes).toEqual(['done 1', 'done 2', 'done 3', 'done 4']);
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('gathers the next batch while one runs', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const batches: number[][] = [];
    const batcher = new MicroBatcher(
      async (items: number[]) => {
        batches.push(items);
        if (items.includes(1)) await held;
        return items.map(String);
      },
      { maxSize: 10, windowMs: 1 },
    );
    const first = batcher.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The first batch is still running: the second starts on its own window.
    await expect(batcher.submit(2)).resolves.toBe('2');
    release();
    await expect(first).resolves.toBe('1');
    expect(batches).toEqual([[1], [2]]);
  });

  it('rejects only the callers whose item failed', async () => {
    const { batcher } = recording({ maxSize: 10, windowMs: 1 }, (item) => (item === 2 ? new Error('key refused') : `done ${item}`));
    const settled = await Promise.allSettled([1, 2, 3].map((item) => batcher.submit(item)));
    expect(settled).toEqual([
      { status: 'fulfilled', value: 'done 1' },
      { status: 'rejected', reason: new Error('key refused') },
      { status: 'fulfilled', value: 'done 3' },
    ]);
  });

  it('rejects every caller of a batch whose run throws, and goes on with the next batch', async () => {
    let calls = 0;
    const batcher = new MicroBatcher(
      async (items: number[]) => {
        if (calls++ === 0) throw new Error('Elasticsearch unreachable');
        return items.map(String);
      },
      { maxSize: 10, windowMs: 1 },
    );
    const settled = await Promise.allSettled([1, 2].map((item) => batcher.submit(item)));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    await expect(batcher.submit(3)).resolves.toBe('3');
  });

  it('refuses a batch size below 1', () => {
    expect(() => new MicroBatcher(async () => [], { maxSize: 0, windowMs: 1 })).toThrow('batch size must be a whole number of at least 1, not 0');
  });
});
