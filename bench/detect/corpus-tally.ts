import type { SocEvent } from '@soc/contracts';
import type { DoorOutcome } from './collector-door';

/** How many of each, keys sorted so the JSON is the same every run. */
export type Counts = Record<string, number>;

export function sortedCounts(map: Map<string, number>): Counts {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function increment(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** A parser's reason without the line's own text, so that equal causes count together. */
export function reasonKind(reason: string): string {
  return reason
    .replace(/'[^']*'|"[^"]*"/g, '…')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}

const topReasons = 5;

/** What the collector made of one corpus's lines. */
export class CorpusTally {
  lines = 0;
  parsed = 0;
  unparsed = 0;
  refused = 0;
  readonly events: SocEvent[] = [];
  private readonly datasets = new Map<string, number>();
  private readonly reasons = new Map<string, number>();
  /** One example line per reason kind, for the report. */
  private readonly examples = new Map<string, string>();

  add(line: string, outcome: DoorOutcome): SocEvent | undefined {
    this.lines++;
    if (outcome.kind === 'refused' || outcome.kind === 'unparsed') {
      const kind = `${outcome.kind}: ${reasonKind(outcome.reason)}`;
      increment(this.reasons, kind);
      if (!this.examples.has(kind)) this.examples.set(kind, line.slice(0, 200));
    }
    if (outcome.kind === 'refused') {
      this.refused++;
      return undefined;
    }
    if (outcome.kind === 'unparsed') this.unparsed++;
    else this.parsed++;
    increment(this.datasets, outcome.event.event?.dataset ?? '(none)');
    this.events.push(outcome.event);
    return outcome.event;
  }

  summary() {
    const reasons = [...this.reasons.entries()]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .slice(0, topReasons)
      .map(([reason, count]) => ({ reason, count, example: this.examples.get(reason) }));
    return {
      lines: this.lines,
      parsed: this.parsed,
      unparsed: this.unparsed,
      refused: this.refused,
      top_unparsed_reasons: reasons,
      events_per_dataset: sortedCounts(this.datasets),
    };
  }
}
