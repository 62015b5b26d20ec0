import type { Detection } from '@soc/contracts';

/**
 * What a labelled attack must (required) or may (allowed) produce. A detection is identified by
 * kind, rule title, owning organisation and what it is about (`ident`): the attacking address for
 * rule and correlation detections, the group key for the engine's own kinds.
 */
export interface ExpectedDetection {
  kind: Detection['kind'];
  /** Rule title, for kinds rule and correlation. */
  rule?: string;
  org: string;
  ident: string;
}

export interface LabelledAttack {
  name: string;
  required: ExpectedDetection[];
  /** Also true positives of the same attack (a spray of ten failures is also a brute force). */
  allowed: ExpectedDetection[];
}

export function labelKey(e: ExpectedDetection): string {
  return `${e.kind}|${e.rule ?? ''}|${e.org}|${e.ident}`;
}

export function detectionKeys(d: Detection): string[] {
  const ruleTitle = d.kind === 'rule' || d.kind === 'correlation' ? d.rule.title : '';
  if (d.kind === 'rule' || d.kind === 'correlation') {
    // `logon_source`: the Windows spraying rule's group (an address, else a workstation name).
    const addresses = d.observables.filter((o) => o.field === 'source.ip' || o.field === 'IpAddress' || o.field === 'logon_source').map((o) => o.value);
    return [...new Set(addresses)].map((ip) => `${d.kind}|${ruleTitle}|${d.organization.id}|${ip}`);
  }
  return [`${d.kind}||${d.organization.id}|${d.group_key}`];
}

export interface Score {
  precision: number;
  recall: number;
  detections: number;
  unexpected: string[];
  missed: string[];
}

/** Precision over distinct alerts (fingerprints), recall over required labels. */
export function score(detections: Iterable<Detection>, attacks: readonly LabelledAttack[]): Score {
  const expected = new Set<string>();
  const required = new Set<string>();
  for (const attack of attacks) {
    for (const e of attack.required) {
      expected.add(labelKey(e));
      required.add(labelKey(e));
    }
    for (const e of attack.allowed) expected.add(labelKey(e));
  }
  const alerts = new Map<string, Detection>();
  for (const d of detections) alerts.set(d.fingerprint, d);
  const found = new Set<string>();
  const unexpected: string[] = [];
  let correct = 0;
  for (const d of alerts.values()) {
    const keys = detectionKeys(d);
    const hit = keys.filter((k) => expected.has(k));
    hit.forEach((k) => found.add(k));
    if (hit.length > 0) correct++;
    else unexpected.push(keys[0] ?? `${d.kind}|${d.rule.title}|${d.organization.id}|${d.group_key}`);
  }
  const missed = [...required].filter((k) => !found.has(k));
  return {
    precision: alerts.size === 0 ? 0 : correct / alerts.size,
    recall: required.size === 0 ? 1 : (required.size - missed.length) / required.size,
    detections: alerts.size,
    unexpected: unexpected.slice(0, 10),
    missed: missed.slice(0, 10),
  };
}
