/**
 * At most one run of a task per key at a time: a caller arriving while one runs gets the same
 * promise. The console refreshes a session's tokens through it, so parallel requests of one
 * browser do not each spend the refresh token.
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, task: () => Promise<T>): Promise<T> {
    const current = this.running.get(key);
    if (current) return current;
    const started = task().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }

  get inFlight(): number {
    return this.running.size;
  }
}
