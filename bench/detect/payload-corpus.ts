import type { WebAttackFamily } from '../../libs/parsing/test/web-attack-corpus';
import { payloadLists, renderPayload } from '../../libs/parsing/test/web-attack-corpus';
import { notAnAttack } from '../../libs/parsing/test/web-attack-exemptions';
import { CollectorDoor } from './collector-door';
import { CorpusTally } from './corpus-tally';
import { perRule, replay } from './replay';
import type { RuleCatalogue } from './rule-catalogue';
import { rate } from './rates';
import { readSharedLines } from './shared-data';

/**
 * The payload lists of ../shared/data/web-attack-payloads rendered into Apache combined lines by the
 * same renderer as the payload-list test (libs/parsing/test/web-attack-corpus.ts: percent-encoded
 * once and as written, traversals also as the path, agents with and without a browser frame), then
 * sent to the collector as a file forwarder sends access-log lines.
 */
const familyRule: Record<WebAttackFamily, string> = {
  sqli: 'web/initial_access_sql_injection',
  xss: 'web/initial_access_cross_site_scripting',
  traversal: 'web/initial_access_path_traversal',
  command_injection: 'web/initial_access_command_injection',
  scanner_agent: 'web/reconnaissance_scanner_user_agent',
};
/** The forwarder's clock (the rendered lines are dated 10/Oct/2025:13:55:36 +0000). */
const now = new Date('2025-10-10T14:00:00Z');

/** A list's payloads as SOURCE.md says to read them: one a line, nothing trimmed, its comment lines left out. */
function readPayloads(file: string, comments: readonly string[] = []): string[] {
  const skip = new Set(comments);
  return readSharedLines('web-attack-payloads', ...file.split('/')).filter((line) => !skip.has(line));
}

export async function payloadCorpus(catalogue: RuleCatalogue, memberId: string) {
  const door = new CollectorDoor({ memberId, timeZone: 'UTC' });
  const tally = new CorpusTally();
  const lists: Record<string, unknown> = {};
  const attackTotals = { lines: 0, flagged_by_web_rule: 0, flagged_by_family_rule: 0 };
  for (const list of payloadLists) {
    const exempt = new Set(notAnAttack[list.file] ?? []);
    const wanted = list.families.map((family) => familyRule[family]);
    const payloads = readPayloads(list.file, list.comments);
    const figures = {
      lines: 0,
      flagged_by_web_rule: 0,
      flagged_by_family_rule: 0,
      payloads: payloads.length,
      payloads_flagged_every_rendering: 0,
      payloads_exempt: 0,
      payloads_missed: 0,
    };
    const missed: string[] = [];
    for (const payload of payloads) {
      let everyRendering = true;
      for (const rendering of renderPayload(list, payload)) {
        figures.lines++;
        const event = tally.add(rendering.line, door.rawLine(rendering.line, 'auto', now));
        const rules = event === undefined ? [] : catalogue.alertingMatches(event).filter((name) => name.startsWith('web/'));
        if (rules.length > 0) figures.flagged_by_web_rule++;
        if (rules.some((name) => wanted.includes(name))) figures.flagged_by_family_rule++;
        else everyRendering = false;
      }
      if (everyRendering) figures.payloads_flagged_every_rendering++;
      else if (exempt.has(payload)) figures.payloads_exempt++;
      else {
        figures.payloads_missed++;
        missed.push(payload);
      }
    }
    lists[list.file] = {
      families: list.families,
      ...figures,
      detection_rate: rate(figures.flagged_by_web_rule, figures.lines),
      family_detection_rate: rate(figures.flagged_by_family_rule, figures.lines),
      missed_examples: missed.slice(0, 5),
    };
    if (list.placement !== 'user_agent') {
      attackTotals.lines += figures.lines;
      attackTotals.flagged_by_web_rule += figures.flagged_by_web_rule;
      attackTotals.flagged_by_family_rule += figures.flagged_by_family_rule;
    }
  }
  const replayed = await replay(catalogue, tally.events);
  return {
    how: 'rendered lines sent as text/plain, format auto; a line is flagged when an alerting single-event web rule matches its event; exempt = listed in libs/parsing/test/web-attack-exemptions.ts as not an attack on its own',
    ...tally.summary(),
    ...perRule(catalogue, replayed),
    attack_lists: {
      ...attackTotals,
      detection_rate: rate(attackTotals.flagged_by_web_rule, attackTotals.lines),
      family_detection_rate: rate(attackTotals.flagged_by_family_rule, attackTotals.lines),
      note: 'SQLi, XSS, LFI and command-injection lists; the bad-user-agent list is mostly crawlers and SEO bots, which are not flagged on purpose (docs/DETECTION.md)',
    },
    lists,
  };
}
