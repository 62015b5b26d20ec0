/** Traffic Light Protocol 2.0 levels, least to most restrictive. */
export const tlpLevels = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof tlpLevels)[number];

/**
 * Reads a TLP level as feeds spell it: `amber`, `TLP:AMBER`, `tlp:amber+strict`. TLP 1.0
 * `white` is TLP 2.0 `clear`. Returns undefined for anything else.
 */
export function parseTlp(text: string): Tlp | undefined {
  let level = text.trim().toLowerCase();
  if (level.startsWith('tlp:')) level = level.slice(4).trim();
  if (level === 'white') return 'clear';
  return (tlpLevels as readonly string[]).includes(level) ? (level as Tlp) : undefined;
}

/** The more restrictive of two levels: when sources disagree, the stricter marking wins. */
export function stricterTlp(a: Tlp, b: Tlp): Tlp {
  return tlpLevels.indexOf(a) >= tlpLevels.indexOf(b) ? a : b;
}
