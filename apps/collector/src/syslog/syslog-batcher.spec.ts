import type { SocEvent } from '@soc/contracts';
import type { SubmitOutcome } from '../ingest-pipeline';
import { SyslogBatcher, type SyslogBatcherOptions } from './syslog-batcher';

const event = (n: number) => ({ message: `line ${n}` }) as unknown as SocEvent;

/** A submit whose answers the test controls: each call waits until the test answers it. */
class ControlledStore {
  readonly calls: Array<{ events: SocEvent[]; answer: (outcome: SubmitOutcome) => void }> = [];
  submit = (events: SocEvent[]): Promise<SubmitOutcome> => new Promise((answer) => this.calls.push({ events: [...events], answer }));
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe(SyslogBatcher.name, () => {
  let store: ControlledStore;
  let paused: boolean;
  let dropped: number;
  let batcher: SyslogBatcher;

  const build = (options: Partial<SyslogBatcherOptions> = {}) =>
    new SyslogBatcher({
      maxEvents: 3,
      maxWaitMs: 20,
      whenRefused: 'retry',
      submit: store.submit,
      pause: () => (paused = true),
      resume: () => (paused = false),
      dropped: (count) => (dropped += count),
      ...options,
    });

  beforeEach(() => {
    store = new ControlledStore();
    paused = false;
    dropped = 0;
  });
  afterEach(() => batcher.close());

  it('submits a full batch at once and pauses the source while it is in flight', async () => {
    batcher = build();
    [1, 2, 3].forEach((n) => batcher.add(event(n)));
    expect(store.calls).toHaveLength(1);
    expect(store.calls[0].events).toHaveLength(3);
    expect(paused).toBe(true);
    store.calls[0].answer({ accepted: 3 });
    await until(() => !paused);
  });

  it('submits a partial batch after the wait', async () => {
    batcher = build();
    batcher.add(event(1));
    expect(store.calls).toHaveLength(0);
    await until(() => store.calls.length === 1);
    expect(store.calls[0].events).toHaveLength(1);
    store.calls[0].answer({ accepted: 1 });
    await batcher.drain();
  });

  it('takes what arrives while a batch is in flight into the next submission', async () => {
    batcher = build();
    [1, 2, 3, 4, 5].forEach((n) => batcher.add(event(n)));
    expect(store.calls).toHaveLength(1);
    store.calls[0].answer({ accepted: 3 });
    await until(() => store.calls.length === 2);
    expect(store.calls[1].events.map((e) => e.message)).toEqual(['line 4', 'line 5']);
    expect(paused).toBe(true);
    store.calls[1].answer({ accepted: 2 });
    await batcher.drain();
    expect(paused).toBe(false);
  });

  it('keeps a refused batch, stays paused and retries it after retryAfterSeconds', async () => {
    batcher = build();
    [1, 2, 3].forEach((n) => batcher.add(event(n)));
    store.calls[0].answer({ refused: 'backlog', retryAfterSeconds: 0.01 });
    await until(() => store.calls.length === 2);
    expect(paused).toBe(true);
    expect(store.calls[1].events).toEqual(store.calls[0].events);
    store.calls[1].answer({ accepted: 3 });
    await batcher.drain();
    expect(paused).toBe(false);
    expect(dropped).toBe(0);
  });

  it('gives up and reports a batch whose submit throws (a fault a retry would repeat, not the store being away)', async () => {
    const failed: Array<[number, string]> = [];
    const submit = jest.fn().mockRejectedValueOnce(new RangeError('Maximum call stack size exceeded')).mockResolvedValue({ accepted: 1 });
    batcher = build({ submit, failed: (count, error) => failed.push([count, error.message]) });
    [1, 2, 3].forEach((n) => batcher.add(event(n)));
    await batcher.drain();
    expect(failed).toEqual([[3, 'Maximum call stack size exceeded']]);
    expect(paused).toBe(false);
    batcher.add(event(4));
    await batcher.drain();
    expect(submit).toHaveBeenCalledTimes(2);
    expect(submit.mock.calls[1][0]).toEqual([event(4)]);
  });

  it('drops a refused batch when the source cannot be paused', async () => {
    batcher = build({ whenRefused: 'drop', pause: undefined, resume: undefined });
    [1, 2, 3].forEach((n) => batcher.add(event(n)));
    store.calls[0].answer({ refused: 'unavailable', retryAfterSeconds: 5 });
    await batcher.drain();
    expect(dropped).toBe(3);
    expect(store.calls).toHaveLength(1);
  });

  it('drops what exceeds maxPendingEvents while a batch is in flight', async () => {
    batcher = build({ whenRefused: 'drop', maxPendingEvents: 4 });
    [1, 2, 3, 4, 5, 6, 7, 8, 9].forEach((n) => batcher.add(event(n)));
    // 1-3 are in flight, 4-7 wait, 8 and 9 find no room.
    expect(dropped).toBe(2);
    store.calls[0].answer({ accepted: 3 });
    await until(() => store.calls.length === 2);
    store.calls[1].answer({ accepted: 3 });
    await until(() => store.calls.length === 3);
    expect(store.calls[2].events.map((e) => e.message)).toEqual(['line 7']);
    store.calls[2].answer({ accepted: 1 });
    await batcher.drain();
  });

  it('reports what is still refused when closed', async () => {
    batcher = build();
    [1, 2, 3].forEach((n) => batcher.add(event(n)));
    store.calls[0].answer({ refused: 'unavailable', retryAfterSeconds: 60 });
    await until(() => store.calls.length === 1);
    await new Promise((resolve) => setImmediate(resolve));
    batcher.close();
    await batcher.drain();
    expect(dropped).toBe(3);
  });

  it('rejects a batch size below one', () => {
    expect(() => build({ maxEvents: 0 })).toThrow('maxEvents must be at least 1, got 0');
  });
});
