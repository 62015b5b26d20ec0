/** mulberry32: a tiny seeded PRNG, so every run generates the same corpus. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A public-looking IPv4 address outside the members' 10.0.0.0/8 and the documentation ranges. */
  publicIp(): string {
    return `${11 + this.int(180)}.${this.int(256)}.${this.int(256)}.${1 + this.int(254)}`;
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += '0123456789abcdef'[this.int(16)];
    return out;
  }
}

/** The same generator as a plain function returning numbers in [0, 1). */
export function seeded(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}
