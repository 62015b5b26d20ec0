import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SocEvent } from '@soc/contracts';
import fc from 'fast-check';
import { buildImportReport, loadRules } from '@soc/sigma';
import { collectorEvents, evtxJsonDocuments, regressionCases, sigmaHqPresent, sigmaHqRoot, sigmaHqRuleFiles } from '../src/testing/sigmahq';

/**
 * The rule index (log source, event code, the needle prefilter and its per-plan scanners) may only
 * skip rules that cannot match: with every accepted SigmaHQ rule loaded, `matchingRules` (indexed,
 * prefiltered) must give exactly what `matchingRulesExhaustive` gives (every rule of the log source
 * tested, with scanners of every rule's needles), on SigmaHQ's regression events, on the OTRF
 * datasets' events, and on random events made from them: event data fields the rules name, set to
 * pieces of the rules' own values (so that gates hit and miss by a character), in any case.
 */
const otrf = join(sigmaHqRoot, '..', 'otrf-security-datasets');
const sorted = (handles: string[]): string[] => [...handles].sort();

(sigmaHqPresent ? describe : describe.skip)('rule index prefilter exactness over SigmaHQ', () => {
  const files = sigmaHqPresent ? sigmaHqRuleFiles() : [];
  const ruleSet = sigmaHqPresent ? buildImportReport(files).ruleSet : undefined;

  const regression: SocEvent[] = sigmaHqPresent
    ? regressionCases().flatMap((c) =>
        readdirSync(c.folder)
          .filter((name) => name.endsWith('.json'))
          .flatMap((name) => collectorEvents(evtxJsonDocuments(readFileSync(join(c.folder, name), 'utf8')))),
      )
    : [];
  const otrfEvents: SocEvent[] = sigmaHqPresent
    ? readdirSync(otrf)
        .filter((name) => name.endsWith('.json'))
        .flatMap((name) =>
          collectorEvents(
            readFileSync(join(otrf, name), 'utf8')
              .split('\n')
              .filter((line) => line.trim() !== '')
              // Every 7th event: all event kinds, a test of reasonable length.
              .filter((_, i) => i % 7 === 0)
              .map((line) => JSON.parse(line) as unknown),
          ),
        )
    : [];

  it('matches the regression and OTRF events exactly as the exhaustive evaluation does', () => {
    let matches = 0;
    const differences: string[] = [];
    for (const event of [...regression, ...otrfEvents]) {
      const indexed = sorted(ruleSet!.matchingRules(event));
      const exhaustive = sorted(ruleSet!.matchingRulesExhaustive(event));
      matches += exhaustive.length;
      if (JSON.stringify(indexed) !== JSON.stringify(exhaustive)) differences.push(`${event.event?.id}: ${indexed.join(',')} vs ${exhaustive.join(',')}`);
    }
    expect(differences).toEqual([]);
    expect(regression.length).toBeGreaterThan(150);
    expect(otrfEvents.length).toBeGreaterThan(500);
    expect(matches).toBeGreaterThan(100); // the comparison is not over events nothing matches
  });

  it('matches random events built from the rules’ own fields and values exactly as the exhaustive evaluation does', () => {
    // Field names and text values the Windows rules use, from their detection sections.
    const fields = new Set<string>();
    const values = new Set<string>();
    const walk = (node: unknown): void => {
      if (typeof node === 'string') values.add(node.replace(/[*?]/g, ''));
      else if (typeof node === 'number') {
        // Numbers as text, also written otherwise (`asNumber` reads 010, 10.0 and 9.99…9 as 10).
        for (const text of [String(node), `0${node}`, `${node}.0`, `${node - 1}.99999999999999999999`]) values.add(text);
      } else if (Array.isArray(node)) node.forEach(walk);
      else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          const field = key.split('|')[0];
          if (/^[A-Za-z][A-Za-z0-9_]*$/.test(field) && field !== 'condition') fields.add(field);
          walk(value);
        }
      }
    };
    for (const rule of loadRules(files.filter((f) => f.name.includes('/windows/'))).rules) if (rule.kind === 'detection') walk(rule.detection);
    const fieldList = [...fields].filter((f) => !['EventID', 'Channel', 'Provider_Name'].includes(f));
    const valueList = [...values].filter((v) => v !== '');
    const bases = [...regression, ...otrfEvents];
    const edit = fc.record({
      field: fc.nat(),
      pieces: fc.array(fc.record({ value: fc.nat(), cut: fc.nat(4) }), { minLength: 1, maxLength: 3 }),
      separator: fc.constantFrom('', ' ', '\\', ' -', '/', 'x'),
      upper: fc.boolean(),
    });
    let matched = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(edit, { maxLength: 6 }), (base, edits) => {
        const event = structuredClone(bases[base % bases.length]) as SocEvent & { winlog?: { event_data?: Record<string, unknown> } };
        const data = ((event.winlog ??= {}).event_data ??= {});
        for (const { field, pieces, separator, upper } of edits) {
          // A piece is a rule value, sometimes cut short by a character or two (a near miss).
          const text = pieces
            .map(({ value, cut }) => {
              const whole = valueList[value % valueList.length];
              return cut >= 3 ? whole.slice(0, Math.max(0, whole.length - cut + 2)) : whole;
            })
            .join(separator);
          data[fieldList[field % fieldList.length]] = upper ? text.toUpperCase() : text;
        }
        const indexed = sorted(ruleSet!.matchingRules(event));
        const exhaustive = sorted(ruleSet!.matchingRulesExhaustive(event));
        matched += exhaustive.length;
        expect(indexed).toEqual(exhaustive);
      }),
      { numRuns: 1500, seed: 20261202 },
    );
    expect(matched).toBeGreaterThan(100);
  });
});
