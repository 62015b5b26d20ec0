import { parseIndicator, type Indicator } from '@soc/indicators';

/** An indicator as stored and sent: dates as ISO strings, `revoked` always present. */
export function indicatorToJson(indicator: Indicator): string {
  return JSON.stringify(indicator);
}

/** Parses a stored indicator; a value that no longer parses is a corrupt record, not a miss. */
export function indicatorFromJson(text: string): Indicator {
  const parsed = parseIndicator(JSON.parse(text));
  if (!parsed.ok) throw new Error(`stored indicator does not parse: ${parsed.reason}`);
  return parsed.indicator;
}
