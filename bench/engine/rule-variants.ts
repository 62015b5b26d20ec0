import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { compileRules, formatRuleError, loadRules, type RuleFile, type RuleSet } from '@soc/sigma';
import { SeededRandom } from '../support/seeded-random';

type RuleDocument = Record<string, any>;

/** Every rule document of the project's rules/ folder, tests stripped (they are not evaluated here). */
export function realRuleDocuments(rulesDir: string): RuleDocument[] {
  const documents: RuleDocument[] = [];
  for (const domain of readdirSync(rulesDir).sort()) {
    for (const file of readdirSync(join(rulesDir, domain)).sort()) {
      if (!file.endsWith('.yml')) continue;
      for (const doc of parseAllDocuments(readFileSync(join(rulesDir, domain, file), 'utf8'))) {
        const rule = doc.toJS() as RuleDocument;
        delete rule.tests;
        documents.push(rule);
      }
    }
  }
  return documents;
}

/**
 * What a SOC adds when it tunes rules per environment, by log source: a narrowing selection on a
 * field that log source really has (service accounts, parent processes, URL paths, ports), with
 * values that name real things. Each variant keeps its original's logsource and EventIDs, so it
 * lands in the same index bucket and pays the same matching cost.
 */
function narrowing(rule: RuleDocument, n: number, random: SeededRandom): Record<string, unknown> {
  const logsource = rule.logsource ?? {};
  const accounts = ['svc_backup', 'svc_sql', 'svc_sharepoint', 'svc_print', 'adm_', 'sa_', 'oracle', 'ansible', 'nagios', 'jenkins'];
  const parents = ['\\winword.exe', '\\excel.exe', '\\outlook.exe', '\\mshta.exe', '\\wscript.exe', '\\cscript.exe', '\\rundll32.exe', '\\regsvr32.exe'];
  const paths = ['/wp-admin/', '/cgi-bin/', '/.env', '/owa/', '/ecp/', '/remote/login', '/vpn/', '/api/v1/'];
  if (logsource.service === 'sshd' || logsource.service === 'sudo') return { 'user.name|startswith': `${random.pick(accounts)}${n}` };
  if (logsource.service === 'security') return { 'TargetUserName|startswith': `${random.pick(accounts)}${n}` };
  if (logsource.category === 'process_creation') return { 'ParentImage|endswith': random.pick(parents), 'CommandLine|contains': `-variant${n} ` };
  if (logsource.category === 'webserver') return { 'cs-uri-query|contains': `${random.pick(paths)}v${n}` };
  if (logsource.category === 'firewall') return { dst_port: 20000 + n };
  return { 'user.name': `variant-${n}` };
}

function detectionVariant(rule: RuleDocument, n: number, random: SeededRandom): RuleDocument {
  const variant = structuredClone(rule);
  delete variant.name; // a tuned copy generates its own detections
  const key = `variant_${n}`;
  variant.detection[key] = narrowing(rule, n, random);
  const condition = Array.isArray(rule.detection.condition) ? rule.detection.condition[0] : rule.detection.condition;
  variant.detection.condition = `(${condition}) and ${key}`;
  return variant;
}

function correlationVariant(rule: RuleDocument, n: number, random: SeededRandom): RuleDocument {
  const variant = structuredClone(rule);
  delete variant.name;
  variant.correlation.timespan = random.pick(['2m', '15m', '30m', '1h']);
  if (variant.correlation.condition?.gte !== undefined) variant.correlation.condition.gte = variant.correlation.condition.gte * (2 + (n % 4));
  return variant;
}

function uuidFor(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

/** Three real rules that stand alone: the SSH brute force (with its base rule) and sudo refusals. */
const smallSet = ['SSH Failed Authentication', 'SSH Brute Force From One Address', 'Sudo Refused To A User Not In Sudoers'];

/** The real rules first, then variants of them round-robin until `count` documents. */
export function ruleFiles(real: readonly RuleDocument[], count: number, seed: number): RuleFile[] {
  const random = new SeededRandom(seed);
  const first = count < real.length ? real.filter((d) => smallSet.includes(d.title)) : real;
  const documents = first.slice(0, count).map((d) => structuredClone(d));
  // Correlations are a few percent of a real rule base (SigmaHQ: a few dozen among thousands): one
  // tuned copy of each real correlation once the set is large, the rest single-event variants.
  const detections = real.filter((d) => !d.correlation);
  const correlations = count >= 100 ? real.filter((d) => d.correlation) : [];
  for (let n = 1; documents.length < count; n++) {
    const tuned = n <= correlations.length;
    const original = tuned ? correlations[n - 1] : detections[n % detections.length];
    const variant = tuned ? correlationVariant(original, n, random) : detectionVariant(original, n, random);
    variant.id = uuidFor(n);
    variant.title = `${original.title} (variant ${n})`;
    documents.push(variant);
  }
  return documents.map((doc, i) => ({ name: `rule-${i}.yml`, text: stringify(doc) }));
}

/** Loads and compiles rule files, failing loudly on any rejected rule (the bench's sets must compile whole). */
export function compileRuleFiles(files: RuleFile[]): RuleSet {
  const loaded = loadRules(files);
  const compiled = compileRules(loaded.rules);
  const errors = [...loaded.errors, ...compiled.errors];
  if (errors.length > 0) throw new Error(errors.map(formatRuleError).join('\n'));
  return compiled.ruleSet;
}
