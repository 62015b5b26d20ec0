import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SocEvent } from '@soc/contracts';
import { parseAccessLogLine } from '@soc/parsing';
import { compileRules, completeEvent, formatRuleError, loadRules } from '@soc/sigma';
import { notAnAttack } from './web-attack-exemptions';
import { payloadLists, readPayloads, renderPayload, type PayloadList, type WebAttackFamily } from './web-attack-corpus';
import { readSharedLines } from './shared-data';

/**
 * The web rules (rules/web) against public payload lists rendered into Apache combined access-log
 * lines as clients send them (percent-encoded once, and as written), parsed by the real parser:
 * every payload is flagged by its family's rule, and the real, mostly benign Apache log of
 * elastic-examples is not flagged. The figures are printed as one JSON object.
 */
const repositoryRoot = join(__dirname, '..', '..', '..');
const rulesDirectory = join(repositoryRoot, 'rules');
const files = readdirSync(rulesDirectory, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.yml'))
  .map((name) => ({ name: relative(repositoryRoot, join(rulesDirectory, name)), text: readFileSync(join(rulesDirectory, name), 'utf8') }));
const loaded = loadRules(files);
const compiled = compileRules(loaded.rules);

const familyRules: Record<WebAttackFamily, string> = {
  sqli: 'rules/web/initial_access_sql_injection.yml',
  xss: 'rules/web/initial_access_cross_site_scripting.yml',
  traversal: 'rules/web/initial_access_path_traversal.yml',
  command_injection: 'rules/web/initial_access_command_injection.yml',
  scanner_agent: 'rules/web/reconnaissance_scanner_user_agent.yml',
};
const ruleIdOf = (file: string): string => {
  const rule = loaded.rules.find((r) => r.source.file === file && r.source.document === 1);
  if (rule?.id === undefined) throw new Error(`no rule in ${file}`);
  return rule.id;
};
const familyIds = Object.fromEntries(Object.entries(familyRules).map(([family, file]) => [family, ruleIdOf(file)])) as Record<WebAttackFamily, string>;
const alertingWebRules = new Set(
  compiled.ruleSet.rules.filter((r) => r.generates && loaded.rules.some((l) => l.id === r.id && l.source.file.startsWith('rules/web/'))).map((r) => r.id),
);

let sequence = 0;
function parsedEvent(line: string): SocEvent {
  const parsed = parseAccessLogLine(line, { server: 'apache' });
  if (!parsed.ok) throw new Error(`${parsed.reason}: ${line}`);
  const completed = completeEvent(parsed.event as Record<string, unknown>, `payload-${++sequence}`, Date.parse('2025-10-10T13:55:36Z'));
  if ('problems' in completed) throw new Error(completed.problems.join('; '));
  return completed.event;
}

/** The attack and reconnaissance tools of the bad-bot list: each must be flagged. */
const attackTools = [
  'Acunetix',
  'Dirbuster',
  'FHscan',
  'Fimap',
  'Havij',
  'Jbrofuzz',
  'Jorgee',
  'Libwhisker',
  'Masscan',
  'Morfeus\\ Fucking\\ Scanner',
  'Nessus',
  'Nikto',
  'Nmap',
  'Nuclei',
  'OpenVAS',
  'Openvas',
  'Sqlmap',
  'Sqlworm',
  'T0PHackTeam',
  'WPScan',
  'Webshag',
  'Whatweb',
  'Wprecon',
  'ZmEu',
  'zgrab',
  'muhstik-scan',
  'l9scan',
  'InfraSec\\ Scanner',
  'TLM-Audit-Scanner',
  'sysscan',
  'CensysInspect',
  'leakix',
];

interface ListFigures {
  file: string;
  payloads: number;
  renderings: number;
  flagged: number;
  exempt: number;
  /** Payloads some rendering of which no rule of the list's families flagged, with those renderings. */
  missed: string[];
}

function runList(list: PayloadList): ListFigures {
  const exempt = new Set(notAnAttack[list.file] ?? []);
  const wanted = list.families.map((family) => familyIds[family]);
  const payloads = readPayloads(list);
  const figures: ListFigures = { file: list.file, payloads: payloads.length, renderings: 0, flagged: 0, exempt: 0, missed: [] };
  for (const payload of payloads) {
    const unflagged: string[] = [];
    for (const rendering of renderPayload(list, payload)) {
      figures.renderings++;
      const matched = compiled.ruleSet.matchingRules(parsedEvent(rendering.line));
      if (!wanted.some((id) => matched.includes(id))) unflagged.push(rendering.variant);
    }
    if (unflagged.length === 0) figures.flagged++;
    else if (exempt.has(payload)) figures.exempt++;
    else figures.missed.push(`${unflagged.join('+')}: ${payload}`);
  }
  return figures;
}

describe('web rules against the web-attack payload lists', () => {
  it('compiles the rule set', () => {
    expect([...loaded.errors, ...compiled.errors].map(formatRuleError)).toEqual([]);
  });

  const results = new Map<string, ListFigures>();
  afterAll(() => {
    const summary = [...results.values()].map(({ missed, ...figures }) => ({ ...figures, missed: missed.length }));
    process.stdout.write(`${JSON.stringify({ payload_lists: summary }, null, 1)}\n`);
  });

  for (const list of payloadLists.filter((l) => l.placement !== 'user_agent')) {
    it(`flags every payload of ${list.file} (every rendering) with its family's rule`, () => {
      const figures = runList(list);
      results.set(list.file, figures);
      expect(figures.missed).toEqual([]);
    });
  }

  it('flags every attack tool of the bad-bot list as a scanner user agent', () => {
    const list = payloadLists.find((l) => l.placement === 'user_agent')!;
    const figures = runList(list);
    results.set(list.file, figures);
    const listed = new Set(readPayloads(list));
    expect(attackTools.filter((tool) => !listed.has(tool))).toEqual([]);
    const missedTools = figures.missed.filter((m) => attackTools.includes(m.slice(m.indexOf(': ') + 2)));
    expect(missedTools).toEqual([]);
  });
});

describe('web rules against the same requests with ordinary values', () => {
  // What citizens type into a municipality's search box and download links, rendered like the payloads.
  const ordinary = [
    'shoes',
    'report.pdf',
    'referat-2025-03-12.docx',
    "rock 'n' roll",
    'Tom & Jerry',
    "O'Brien",
    'c++ or java',
    'a;b',
    '5 > 3',
    '50%',
    'select a school',
    'union-medlemmer',
    'cat food',
    'dir. Hansen',
    'borger@kommune.dk',
    'Ærø Kommune',
    'budget (2025)',
    'id',
    'sleep apnea',
    'drop-in',
    'update address',
    'or',
    'and/or',
    'sort by date',
    'where is the library?',
    'C:/Users guide',
    '"exact phrase"',
    'echo sounder',
    'type 2 diabetes',
    'ls-skema',
    '1+1',
    'the end --',
  ];

  it('flags none of them in the search query or the download parameter', () => {
    const lists = payloadLists.filter((l) => l.placement === 'query' || l.placement === 'traversal_query_and_path').slice(0, 1);
    const flagged: string[] = [];
    for (const value of ordinary) {
      const renderings = [...renderPayload(lists[0], value), ...renderPayload({ file: '', families: [], placement: 'traversal_query_and_path' }, value)];
      for (const rendering of renderings) {
        const rules = compiled.ruleSet.matchingRules(parsedEvent(rendering.line)).filter((id) => alertingWebRules.has(id));
        if (rules.length > 0) flagged.push(`${rendering.variant}: ${value} → ${rules.join(', ')}`);
      }
    }
    expect(flagged).toEqual([]);
  });
});

describe('web rules against the elastic-examples Apache access log (real traffic)', () => {
  // The log is mostly benign, but SOURCE.md and elastic-apache.real-data.spec.ts name its 12
  // opportunistic GET /wp-login.php probes answered 404 (a WordPress login on a site without
  // WordPress, from 12 addresses): those are what the admin-interface probing rule is for.
  const isWordPressProbe = (line: string): boolean => /\] "GET \/wp-login\.php[ ?][^"]*" 404 /.test(line);

  it('flags only its 12 wp-login.php probes: no false positive among its 10,000 lines', () => {
    const lines = readSharedLines('elastic-examples', 'apache', 'apache_logs');
    const flagged: { line: string; rules: string[] }[] = [];
    for (const line of lines) {
      const rules = compiled.ruleSet.matchingRules(parsedEvent(line)).filter((id) => alertingWebRules.has(id));
      if (rules.length > 0) flagged.push({ line, rules });
    }
    const probes = flagged.filter((f) => isWordPressProbe(f.line));
    const falsePositives = flagged.filter((f) => !isWordPressProbe(f.line));
    process.stdout.write(
      `${JSON.stringify({
        benign_apache_log: {
          lines: lines.length,
          flagged: flagged.length,
          flagged_rate: flagged.length / lines.length,
          wordpress_probes_flagged: probes.length,
          false_positives: falsePositives.length,
          false_positive_rate: falsePositives.length / lines.length,
        },
      })}\n`,
    );
    expect(falsePositives).toEqual([]);
    expect(probes).toHaveLength(lines.filter(isWordPressProbe).length);
    expect(probes).toHaveLength(12);
    const probing = ruleIdOf('rules/web/reconnaissance_admin_interface_probing.yml');
    expect(probes.every((p) => p.rules.includes(probing))).toBe(true);
  });
});
