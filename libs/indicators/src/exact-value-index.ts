/**
 * Exact string values (URLs, hashes, e-mail addresses) mapped to int32 values, with the same
 * get/set(-1 removes) contract as the prefix and domain indexes so the indicator index links
 * chains through all of them alike.
 */
export class ExactValueIndex {
  private readonly entries = new Map<string, number>();

  get size(): number {
    return this.entries.size;
  }

  get(value: string): number {
    return this.entries.get(value) ?? -1;
  }

  set(value: string, head: number): void {
    if (head < 0) this.entries.delete(value);
    else this.entries.set(value, head);
  }
}
