import { SingleFlight } from './single-flight';

describe(SingleFlight.name, () => {
  it('runs a task once for callers arriving while it runs, and again after it has finished', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const task = async () => {
      runs += 1;
      await gate;
      return runs;
    };
    const waiting = [flight.run('s1', task), flight.run('s1', task), flight.run('s1', task)];
    expect(flight.inFlight).toBe(1);
    release();
    expect(await Promise.all(waiting)).toEqual([1, 1, 1]);
    expect(flight.inFlight).toBe(0);
    expect(await flight.run('s1', task)).toBe(2);
  });

  it('keeps keys apart and forgets a failed run, so the next caller tries again', async () => {
    const flight = new SingleFlight<string>();
    await expect(flight.run('a', () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await Promise.all([flight.run('a', async () => 'a'), flight.run('b', async () => 'b')])).toEqual(['a', 'b']);
  });
});
