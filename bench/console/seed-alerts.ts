import { assessRisk } from '@soc/alerts';
import { detectionFingerprint, type Detection } from '@soc/contracts';
import type { AlertRepository } from '@soc/storage';

const members = ['0101', '0147', '0151', '0153', '0155', '0157', '0159', '0161', '0163', '0165', '0167', '0169'];
const levels: Array<Detection['rule']['level']> = ['critical', 'high', 'high', 'medium', 'medium', 'medium', 'low', 'low'];
const titles = ['SSH brute force', 'Password spraying', 'Kerberoasting attempt', 'Ransomware note written', 'Lateral movement over SMB'];

/** The i-th open alert's detection: its own attacker address (so its own alert), spread over members, severities and rules. */
function detectionNumber(i: number, now: string): Detection {
  const member = members[i % members.length]!;
  const attacker = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const title = titles[i % titles.length]!;
  const ruleId = `bench-console-${i % titles.length}`;
  return {
    fingerprint: detectionFingerprint(ruleId, member, attacker, now),
    kind: 'rule',
    rule: { id: ruleId, title, level: levels[i % levels.length]!, tags: ['attack.t1110'], references: [] },
    organization: { id: member },
    group_key: attacker,
    window_start: now,
    first_seen: now,
    last_seen: now,
    event_count: 1,
    event_ids: [`bench-console-${i}`],
    observables: [{ field: 'source.ip', value: attacker }],
    detected_at: now,
  };
}

/** Raises `count` open alerts through the repository alerting itself writes with (a few at a time); throws unless each was created. */
export async function seedOpenAlerts(repository: AlertRepository, count: number, concurrency = 16): Promise<number> {
  const now = new Date().toISOString();
  let next = 0;
  let created = 0;
  const worker = async () => {
    while (next < count) {
      const d = detectionNumber(next++, now);
      const { outcome } = await repository.upsertFromDetection(d, assessRisk(d));
      if (outcome !== 'created') throw new Error(`seeding alert ${d.group_key}: ${outcome}, not created`);
      created += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return created;
}

export const seededMembers = members.length;
