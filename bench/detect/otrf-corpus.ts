import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CollectorDoor } from './collector-door';
import { CorpusTally, increment, sortedCounts } from './corpus-tally';
import { perRule, replay } from './replay';
import type { RuleCatalogue } from './rule-catalogue';
import { readSharedLines, readSharedText, sharedDataDirectory } from './shared-data';

/**
 * OTRF Security-Datasets: Windows events exported by NXLog as JSON lines, sent as NXLog's
 * `om_http` sends them (NDJSON, format `auto`: the collector recognises the Windows shapes and
 * normalises them through libs/parsing). Each file is one attack simulation; its metadata names the
 * ATT&CK techniques it performs.
 */
interface DatasetMetadata {
  id: string;
  title: string;
  attack_mappings?: Array<{ technique: string | number; 'sub-technique'?: string | number | null }>;
  files?: Array<{ link: string }>;
}

const directory = 'otrf-security-datasets';
/** The forwarder's clock (the records carry full dates). */
const now = new Date('2026-12-02T00:00:00Z');

function metadataByFile(): Map<string, DatasetMetadata> {
  const byFile = new Map<string, DatasetMetadata>();
  for (const name of readdirSync(join(sharedDataDirectory, directory, 'metadata')).sort()) {
    const metadata = parseYaml(readSharedText(directory, 'metadata', name)) as DatasetMetadata;
    // The dataset's zip is named like the JSON file it holds, without the capture timestamp.
    for (const file of metadata.files ?? []) byFile.set(file.link.replace(/^.*\//, '').replace(/\.zip$/, ''), metadata);
  }
  return byFile;
}

function techniques(metadata: DatasetMetadata | undefined): string[] {
  return (metadata?.attack_mappings ?? []).map((m) => {
    const sub = m['sub-technique'];
    return `${String(m.technique).trim()}${sub === undefined || sub === null || sub === '' ? '' : `.${String(sub).padStart(3, '0')}`}`;
  });
}

export async function otrfCorpus(catalogue: RuleCatalogue, memberId: string) {
  const door = new CollectorDoor({ memberId, timeZone: 'UTC' });
  const metadata = metadataByFile();
  const files = readdirSync(join(sharedDataDirectory, directory))
    .filter((name) => name.endsWith('.json'))
    .sort();
  const datasets: Record<string, unknown> = {};
  const withoutAlert: string[] = [];
  for (const file of files) {
    const tally = new CorpusTally();
    // Events each rule matches on its own, correlation base rules included: a correlation that
    // stayed below its threshold shows here and not among the alerts.
    const matching = new Map<string, number>();
    for (const line of readSharedLines(directory, file)) {
      const event = tally.add(line, door.jsonRecord(line, 'auto', now));
      if (event !== undefined) for (const name of catalogue.allMatches(event)) increment(matching, name);
    }
    const replayed = await replay(catalogue, tally.events);
    const rules = perRule(catalogue, replayed);
    const described = [...metadata.entries()].find(([prefix]) => file.startsWith(prefix))?.[1];
    if (Object.keys(rules.alerts_per_rule).length === 0) withoutAlert.push(file);
    datasets[file] = {
      dataset_id: described?.id ?? null,
      title: described?.title ?? null,
      attack_techniques: techniques(described),
      ...tally.summary(),
      ...rules,
      rules_fired: Object.keys(rules.alerts_per_rule),
      events_matching_rule: sortedCounts(matching),
    };
  }
  return {
    how: 'each JSON line sent as NDJSON (as NXLog om_http sends), format auto: recognised as a Windows record and normalised by libs/parsing',
    datasets,
    datasets_without_alert: withoutAlert,
  };
}
