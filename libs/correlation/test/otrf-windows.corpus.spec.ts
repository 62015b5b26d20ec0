import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Detection, SocEvent } from '@soc/contracts';
import { IndicatorIndex } from '@soc/indicators';
import { defaultEventLimits, parseEventBody, stampEvent, unparsedTag } from '@soc/ingest';
import { InMemoryWindowStore } from '@soc/sigma';
import { CorrelationEngine } from '../src/correlation-engine';
import { InMemoryCampaignStore } from '../src/in-memory-campaign-store';
import { members, realRules } from '../src/testing/fixtures';

/**
 * OTRF Security-Datasets (../shared/data/otrf-security-datasets): Windows attack simulations
 * recorded in a lab and exported by NXLog as JSON lines. Each line goes the collector's way, as
 * NXLog's om_http sends it (NDJSON, format `auto`: recognised as a Windows record and normalised by
 * libs/parsing, then stamped for one member), and the events go through the correlation engine with
 * the whole rule set in event-time order, in the events stream's batches of 500, as bench:detect
 * replays them (docs/DETECTION.md "Detection report").
 */

const dataDirectory = join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'otrf-security-datasets');
const rulesDirectory = join(__dirname, '..', '..', '..', 'rules');
const ruleFiles = readdirSync(rulesDirectory, { recursive: true, encoding: 'utf8' })
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();
const rules = realRules(...ruleFiles);
const ruleFileById = new Map<string, string>();
for (const file of ruleFiles) {
  const id = /^id: (\S+)$/m.exec(readFileSync(join(rulesDirectory, file), 'utf8'))?.[1];
  if (id !== undefined) ruleFileById.set(id, file.replace(/\.ya?ml$/, ''));
}

const member = '0101';
/** The forwarder's clock: the records carry full dates, so it only stamps `event.ingested`. */
const now = new Date('2026-12-02T00:00:00Z');

function collectorEvents(file: string): SocEvent[] {
  const lines = readFileSync(join(dataDirectory, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  return lines.map((line, index) => {
    const parsed = parseEventBody(line, defaultEventLimits, { format: 'auto', now, timeZone: 'UTC', plainText: false });
    if (!parsed.ok) throw new Error(`${file}:${index + 1}: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    // No event-time window: these captures are years old and keep the time they were logged.
    return stampEvent(parsed.events[0], member, now.toISOString(), undefined);
  });
}

async function replay(events: readonly SocEvent[]): Promise<Detection[]> {
  const ordered = events
    .map((event, index) => ({ event, index, time: Date.parse(event['@timestamp']) }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map(({ event }) => event);
  const engine = new CorrelationEngine(rules, new IndicatorIndex(), members);
  const stores = { windows: new InMemoryWindowStore(), campaigns: new InMemoryCampaignStore() };
  const detections: Detection[] = [];
  for (let first = 0; first < ordered.length; first += 500) {
    detections.push(...(await engine.evaluate(ordered.slice(first, first + 500), stores, { now })).detections);
  }
  return detections;
}

/** Alerts as alerting folds detections: one per rule, member and group key; named by rule file. */
function alertsPerRule(detections: readonly Detection[]): Record<string, string[]> {
  const alerts: Record<string, Set<string>> = {};
  for (const detection of detections) {
    if (detection.event_count <= 0) continue;
    const name = ruleFileById.get(detection.rule.id) ?? `built-in: ${detection.rule.title}`;
    (alerts[name] ??= new Set()).add(detection.group_key);
  }
  return Object.fromEntries(
    Object.entries(alerts)
      .map(([name, keys]) => [name, [...keys].sort()])
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

const spraying = 'windows/credential_access_windows_password_spraying';
const kerberoasting = 'windows/credential_access_kerberoasting';
const logCleared = 'windows/defense_evasion_event_log_cleared';
const psexecService = 'windows/lateral_movement_psexec_service_installed';

const ofRule = (detections: readonly Detection[], file: string) => detections.filter((d) => ruleFileById.get(d.rule.id) === file);
const codesOf = (events: readonly SocEvent[], ids: readonly string[]) => ids.map((id) => events.find((e) => e.event.id === id)?.event.code).sort();

describe('OTRF Windows attack datasets through the collector and the rule set', () => {
  describe('PurpleSharp AD playbook (T1110.003 password spraying, T1558.003, T1135, T1021.006)', () => {
    const events = collectorEvents('purplesharp_ad_playbook_I_2020-10-22042947.filtered.json');
    let detections: Detection[];

    beforeAll(async () => {
      detections = await replay(events);
    });

    it('parses every record as a Windows event', () => {
      expect(events).toHaveLength(5404);
      expect(events.filter((event) => event.tags?.includes(unparsedTag) || !event.event.dataset?.startsWith('windows.'))).toEqual([]);
    });

    it('raises the password-spraying alert for WORKSTATION5 with the seven accounts the spray tried', () => {
      const sprayed = detections.filter((d) => ruleFileById.get(d.rule.id) === spraying);
      // One alert: the window that fired, and the window update carrying what arrived after it.
      expect([...new Set(sprayed.map((d) => d.group_key))]).toEqual(['{"logon_source":"WORKSTATION5"}']);
      const accounts = [...new Set(sprayed.flatMap((d) => d.observables.filter((o) => o.field === 'user.name').map((o) => o.value)))].sort();
      // The spray's own failures (4625 on the workstation, 4776 at the domain controller), in the data:
      const failedAccounts = [
        ...new Set(events.filter((e) => ['4625', '4776'].includes(e.event.code ?? '') && e.event.outcome === 'failure').map((e) => e.user?.name as string)),
      ].sort();
      expect(failedAccounts).toHaveLength(7);
      expect(accounts).toEqual(failedAccounts);
      const [spray] = sprayed;
      expect(spray.rule).toMatchObject({ title: 'Windows Password Spraying From One Source', level: 'high' });
      expect(spray.first_seen.startsWith('2020-10-22T08:29:5')).toBe(true);
    });

    it('raises Kerberoasting for pgustavo, whose RC4 tickets for the five service accounts came within a second', () => {
      const roasted = ofRule(detections, kerberoasting);
      expect([...new Set(roasted.map((d) => d.group_key))]).toEqual(['{"user.name":"pgustavo"}']);
      const services = [...new Set(roasted.flatMap((d) => d.observables.filter((o) => o.field === 'ServiceName').map((o) => o.value)))].sort();
      expect(services).toEqual(['defensesvc', 'mordorsvc', 'nxlogsvc', 'otrsvc', 'sysmonsvc']);
    });

    it('raises exactly these alerts (everything else in the playbook stays quiet)', () => {
      expect(alertsPerRule(detections)).toEqual({
        [kerberoasting]: ['{"user.name":"pgustavo"}'],
        [spraying]: ['{"logon_source":"WORKSTATION5"}'],
        'windows/credential_access_windows_workstation_bruteforce': ['{"source.domain":"WORKSTATION5","Computer":"MORDORDC.theshire.local"}'],
      });
    });
  });

  describe('PsExec LSA secrets dump (T1003.004)', () => {
    const events = collectorEvents('cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json');
    let detections: Detection[];

    beforeAll(async () => {
      detections = await replay(events);
    });

    it('parses every record as a Windows event', () => {
      expect(events).toHaveLength(286);
      expect(events.filter((event) => event.tags?.includes(unparsedTag) || !event.event.dataset?.startsWith('windows.'))).toEqual([]);
    });

    it('raises the cleared event logs (Security 1102 and System 104) as one detection', () => {
      const [cleared, ...more] = ofRule(detections, logCleared);
      expect(more).toEqual([]);
      expect(cleared.event_count).toBe(2);
      expect(codesOf(events, cleared.event_ids)).toEqual(['104', '1102']);
    });

    it('raises the PsExec service installation (System 7045 and Security 4697) as one detection', () => {
      const [installed, ...more] = ofRule(detections, psexecService);
      expect(more).toEqual([]);
      expect(installed.event_count).toBe(2);
      expect(codesOf(events, installed.event_ids)).toEqual(['4697', '7045']);
    });

    it('raises exactly these alerts', () => {
      expect(alertsPerRule(detections)).toEqual({ [logCleared]: [''], [psexecService]: [''] });
    });
  });
});
