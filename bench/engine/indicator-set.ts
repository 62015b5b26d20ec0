import type { Indicator } from '@soc/indicators';
import { IndicatorIndex } from '@soc/indicators';
import { SeededRandom } from '../support/seeded-random';

/**
 * A feed-like indicator set: 60 % IPv4 addresses, 5 % CIDRs, 20 % domains, 10 % sha256, 5 % URLs,
 * with the mix of sources, confidences and TLPs real feeds have. The labelled indicators of the
 * corpus are taken from the start of the sequence, so every size holds them. A generator, so a
 * million indicators go into the index without an array of them on the heap.
 */
export function* generateIndicators(count: number, seed: number): Generator<Indicator> {
  const random = new SeededRandom(seed);
  const from = new Date('2025-12-01T00:00:00Z');
  const until = new Date('2026-06-01T00:00:00Z');
  const sources = ['abusech-feodo', 'abusech-urlhaus', 'misp-cfcs', 'stix-cert-eu'];
  const tlps = ['clear', 'green', 'amber'] as const;
  for (let i = 0; i < count; i++) {
    const roll = random.next();
    let type: Indicator['type'];
    let value: string;
    if (roll < 0.6) [type, value] = ['ipv4', `${11 + random.int(89)}.${random.int(256)}.${random.int(256)}.${1 + random.int(254)}`];
    else if (roll < 0.65) [type, value] = ['cidr', `${11 + random.int(89)}.${random.int(256)}.${random.int(256)}.0/24`];
    else if (roll < 0.85) [type, value] = ['domain', `${random.hex(8)}.${random.pick(['com', 'net', 'ru', 'top', 'xyz'])}`];
    else if (roll < 0.95) [type, value] = ['sha256', random.hex(64)];
    else [type, value] = ['url', `http://${random.hex(6)}.example/${random.hex(10)}.php`];
    yield {
      id: `bench-${i}`,
      type,
      value,
      source: random.pick(sources),
      confidence: 50 + random.int(50),
      tlp: random.pick(tlps),
      valid_from: from,
      valid_until: until,
      revoked: false,
      labels: [],
    };
  }
}

export function buildIndex(indicators: Iterable<Indicator>): IndicatorIndex {
  const index = new IndicatorIndex();
  for (const indicator of indicators) index.upsert(indicator);
  return index;
}
