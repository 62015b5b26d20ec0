import type { SocEvent } from '@soc/contracts';
import type { Indicator } from '@soc/indicators';
import { municipalities } from '@soc/members';
import { normaliseJsonRecord, parseSyslogLine } from '@soc/parsing';
import type { ExpectedDetection, LabelledAttack } from './labels';
import { retimed } from './sigmahq';
import { SeededRandom } from '../support/seeded-random';

/**
 * A seeded day at 98 municipalities: sshd auth lines (syslog text) and Windows logon events (4624,
 * 4625 as flat NXLog-style records), background noise plus labelled attacks. Background is built so
 * that it can honestly produce no detection: internal users log in from their own member's range and
 * never fail; internet noise sources fail at most three times, at one member, from addresses on no
 * feed (first octet 100–163; the generated feeds use 11–99, the labelled attackers 170–189).
 */
export interface RawLine {
  time: number;
  member: string;
  kind: 'sshd' | 'windows';
  /** sshd: the syslog line; windows: the JSON record. */
  line?: string;
  record?: Record<string, unknown>;
  /** windows: a real record (OTRF, SigmaHQ regression data) sent at `time` instead (see `retimed`). */
  template?: Record<string, any>;
}

export interface Corpus {
  raw: RawLine[];
  attacks: LabelledAttack[];
  members: string[];
  /** Member id → its own network range (10.<n>.0.0/16). */
  ranges: Map<string, string>;
}

const start = Date.parse('2026-01-05T08:00:00Z');
const span = 6 * 3_600_000;
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const spray = 'Password Spraying From One Address';
const winSpray = 'Windows Password Spraying From One Source';
const sshBrute = 'SSH Brute Force From One Address';
const winBrute = 'Windows Logon Brute Force From One Address';

function syslogTime(time: number): string {
  const d = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function windowsTime(time: number): string {
  return new Date(time).toISOString().slice(0, 19).replace('T', ' ');
}

export class CorpusBuilder {
  private readonly random: SeededRandom;
  private readonly raw: RawLine[] = [];
  private readonly attacks: LabelledAttack[] = [];
  readonly members = municipalities.map((m) => m.code);
  readonly ranges = new Map(this.members.map((m, i) => [m, `10.${i + 1}.0.0/16`]));
  private noiseSources = 0;
  private attackers = 0;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  private internalIp(member: string): string {
    const n = this.members.indexOf(member) + 1;
    return `10.${n}.${this.random.int(200)}.${1 + this.random.int(254)}`;
  }

  private noiseIp(): string {
    const k = this.noiseSources++;
    return `${100 + ((k >> 16) & 63)}.${(k >> 8) & 255}.${k & 255}.${1 + this.random.int(254)}`;
  }

  private attackerIp(): string {
    const k = this.attackers++;
    return `${170 + ((k >> 16) & 15)}.${(k >> 8) & 255}.${k & 255}.${1 + this.random.int(254)}`;
  }

  private sshd(time: number, member: string, message: string): void {
    const host = `srv${member}`;
    this.raw.push({ time, member, kind: 'sshd', line: `${syslogTime(time)} ${host} sshd[${1000 + this.random.int(30000)}]: ${message}` });
  }

  private windows(time: number, member: string, eventId: 4624 | 4625, user: string, ip: string): void {
    const record: Record<string, unknown> = {
      EventID: eventId,
      Channel: 'Security',
      Hostname: `dc01.k${member}.local`,
      EventTime: windowsTime(time),
      TargetUserName: user,
      TargetDomainName: `K${member}`,
      IpAddress: ip,
      IpPort: String(49152 + this.random.int(16000)),
      LogonType: this.random.next() < 0.8 ? '3' : '10',
      WorkstationName: `PC${this.random.int(900)}`,
    };
    if (eventId === 4625) Object.assign(record, { Status: '0xc000006d', SubStatus: '0xc000006a', FailureReason: '%%2313' });
    this.raw.push({ time, member, kind: 'windows', record });
  }

  private port(): number {
    return 32768 + this.random.int(28000);
  }

  background(sshdLines: number, windowsEvents: number): this {
    const users = ['anna', 'bo', 'carl', 'dorte', 'erik', 'freja', 'gustav', 'hanne', 'ib', 'jens', 'karen', 'lars'];
    const guesses = ['root', 'admin', 'test', 'oracle', 'ubuntu', 'postgres', 'pi', 'user'];
    for (let i = 0; i < sshdLines;) {
      const time = start + this.random.int(span);
      const member = this.random.pick(this.members);
      if (this.random.next() < 0.6) {
        this.sshd(time, member, `Accepted publickey for ${this.random.pick(users)} from ${this.internalIp(member)} port ${this.port()} ssh2`);
        i++;
        continue;
      }
      const ip = this.noiseIp();
      const tries = 1 + this.random.int(3);
      for (let t = 0; t < tries && i < sshdLines; t++, i++) {
        const user = this.random.pick(guesses);
        const invalid = user !== 'root' && this.random.next() < 0.5;
        this.sshd(time + t * 2000, member, `Failed password for ${invalid ? 'invalid user ' : ''}${user} from ${ip} port ${this.port()} ssh2`);
      }
    }
    for (let i = 0; i < windowsEvents;) {
      const time = start + this.random.int(span);
      const member = this.random.pick(this.members);
      if (this.random.next() < 0.75) {
        this.windows(time, member, 4624, this.random.pick(users), this.internalIp(member));
        i++;
        continue;
      }
      const ip = this.noiseIp();
      const tries = 1 + this.random.int(3);
      for (let t = 0; t < tries && i < windowsEvents; t++, i++) this.windows(time + t * 3000, member, 4625, this.random.pick(guesses), ip);
    }
    return this;
  }

  private attackTime(): number {
    return start + 30 * 60_000 + this.random.int(span - 60 * 60_000);
  }

  sshBruteForce(count: number): this {
    for (let a = 0; a < count; a++) {
      const member = this.random.pick(this.members);
      const ip = this.attackerIp();
      const t0 = this.attackTime();
      const tries = 15 + this.random.int(10);
      for (let t = 0; t < tries; t++) this.sshd(t0 + t * 6000, member, `Failed password for root from ${ip} port ${this.port()} ssh2`);
      this.attacks.push({
        name: `ssh brute force ${ip} at ${member}`,
        required: [{ kind: 'correlation', rule: sshBrute, org: member, ident: ip }],
        allowed: [],
      });
    }
    return this;
  }

  windowsBruteForce(count: number): this {
    for (let a = 0; a < count; a++) {
      const member = this.random.pick(this.members);
      const ip = this.attackerIp();
      const t0 = this.attackTime();
      for (let t = 0; t < 15; t++) this.windows(t0 + t * 8000, member, 4625, 'administrator', ip);
      this.attacks.push({
        name: `windows brute force ${ip} at ${member}`,
        required: [{ kind: 'correlation', rule: winBrute, org: member, ident: ip }],
        allowed: [],
      });
    }
    return this;
  }

  /** One password against twelve accounts: over Windows logons and over SSH, alternately. */
  passwordSpraying(count: number): this {
    for (let a = 0; a < count; a++) {
      const member = this.random.pick(this.members);
      const ip = this.attackerIp();
      const t0 = this.attackTime();
      const overSsh = a % 2 === 1;
      for (let u = 0; u < 12; u++) {
        const user = `user${u}`;
        if (overSsh) this.sshd(t0 + u * 20_000, member, `Failed password for ${user} from ${ip} port ${this.port()} ssh2`);
        else this.windows(t0 + u * 20_000, member, 4625, user, ip);
      }
      this.attacks.push({
        name: `password spraying ${ip} at ${member}`,
        required: [{ kind: 'correlation', rule: spray, org: member, ident: ip }],
        // Twelve failures within five minutes are also a brute force, truthfully; over Windows also
        // the Windows-only spraying rule (5 accounts from one source, rules/windows).
        allowed: overSsh
          ? [{ kind: 'correlation', rule: sshBrute, org: member, ident: ip }]
          : [
              { kind: 'correlation', rule: winBrute, org: member, ident: ip },
              { kind: 'correlation', rule: winSpray, org: member, ident: ip },
            ],
      });
    }
    return this;
  }

  /** Logins from addresses on a feed; the first one at four members (an indicator campaign). */
  indicatorHits(indicators: readonly Indicator[], count: number): this {
    const ips = indicators.filter((i) => i.type === 'ipv4').slice(0, count);
    ips.forEach((indicator, n) => {
      const targets = n === 0 ? this.distinctMembers(4) : [this.random.pick(this.members)];
      const required: ExpectedDetection[] = [];
      targets.forEach((member, k) => {
        const time = start + (1 + k) * 3_600_000 + this.random.int(1_800_000);
        if (this.random.next() < 0.5) this.sshd(time, member, `Accepted password for anna from ${indicator.value} port ${this.port()} ssh2`);
        else this.windows(time, member, 4624, 'anna', indicator.value);
        required.push({ kind: 'indicator', org: member, ident: `indicator:${indicator.id}` });
      });
      if (targets.length >= 3) required.push({ kind: 'campaign', org: 'shared-soc', ident: `indicator:${indicator.id}` });
      this.attacks.push({ name: `indicator ${indicator.id} at ${targets.join(',')}`, required, allowed: [] });
    });
    return this;
  }

  /**
   * One address brute-forcing SSH at five members an hour apart: a campaign after the third, and an
   * early warning (promoted indicator) on the first attempt at the fourth and fifth.
   */
  actorCampaign(): this {
    const ip = this.attackerIp();
    const targets = this.distinctMembers(5);
    const required: ExpectedDetection[] = [];
    const allowed: ExpectedDetection[] = [];
    const key = `source.ip=${ip}`;
    targets.forEach((member, k) => {
      const t0 = start + (1 + k) * 3_600_000;
      for (let t = 0; t < 15; t++) this.sshd(t0 + t * 6000, member, `Failed password for root from ${ip} port ${this.port()} ssh2`);
      required.push({ kind: 'correlation', rule: sshBrute, org: member, ident: ip });
      const warning: ExpectedDetection = { kind: 'early_warning', org: member, ident: `indicator:campaign:${key}` };
      // The third member's burst may straddle the batch that fired the campaign.
      (k >= 3 ? required : allowed).push(warning);
    });
    required.push({ kind: 'campaign', org: 'shared-soc', ident: key });
    this.attacks.push({ name: `campaign ${ip} at ${targets.join(',')}`, required, allowed });
    return this;
  }

  /** Failed logins at B from an address in A's own range: A is probably compromised. */
  memberOrigin(count: number): this {
    for (let a = 0; a < count; a++) {
      const [origin, target] = this.distinctMembers(2);
      const ip = this.internalIp(origin);
      const t0 = this.attackTime();
      for (let t = 0; t < 5; t++) this.sshd(t0 + t * 10_000, target, `Failed password for admin from ${ip} port ${this.port()} ssh2`);
      this.attacks.push({
        name: `member origin ${origin} → ${target}`,
        required: [
          { kind: 'member_origin', org: 'shared-soc', ident: `origin=${origin};target=${target};source.ip=${ip}` },
          { kind: 'member_origin', org: origin, ident: `source.ip=${ip}` },
        ],
        allowed: [],
      });
    }
    return this;
  }

  /**
   * `count` real Windows events (Security, Sysmon, PowerShell: the OTRF datasets and SigmaHQ's
   * regression events), each a seeded pick among `records`, at a random time and member: the
   * events SigmaHQ's Windows rules read, sent as NXLog (flat) or EVTX-as-JSON records.
   */
  realWindows(records: readonly Record<string, any>[], count: number): this {
    for (let i = 0; i < count; i++) {
      const time = start + this.random.int(span);
      this.raw.push({ time, member: this.random.pick(this.members), kind: 'windows', template: this.random.pick(records) });
    }
    return this;
  }

  private distinctMembers(n: number): string[] {
    const chosen = new Set<string>();
    while (chosen.size < n) chosen.add(this.random.pick(this.members));
    return [...chosen];
  }

  build(): Corpus {
    const raw = this.raw
      .map((line, i) => ({ line, i }))
      .sort((a, b) => a.line.time - b.line.time || a.i - b.i)
      .map((x) => x.line);
    return { raw, attacks: this.attacks, members: this.members, ranges: this.ranges };
  }
}

const parseNow = new Date('2026-01-06T00:00:00Z');

/** One raw line parsed and stamped as the collector would (`id` = event.id); undefined when it does not parse. */
export function parseRawLine(line: RawLine, id: string): SocEvent | undefined {
  const parsed =
    line.kind === 'sshd'
      ? parseSyslogLine(line.line!, { now: parseNow })
      : normaliseJsonRecord(line.template !== undefined ? retimed(line.template, line.time) : line.record!);
  return parsed.ok ? stamp(parsed.event as Record<string, any>, id, line.member) : undefined;
}

/**
 * Parses every line once, up front (profile.ts; the benchmark itself streams batches, see main.ts),
 * each event handed on as the correlator reads it: decoded from its JSON (see `CorpusStream`).
 */
export function toEvents(raw: readonly RawLine[]): { events: SocEvent[]; failures: number } {
  const events: SocEvent[] = [];
  let failures = 0;
  raw.forEach((line, i) => {
    const event = parseRawLine(line, eventIdOf(i));
    if (event) events.push(JSON.parse(JSON.stringify(event)) as SocEvent);
    else failures++;
  });
  return { events, failures };
}

/**
 * The event id the collector would stamp on the corpus's line `n`: UUID-shaped (36 characters, as
 * `stampEvent`'s `randomUUID()`), from a hash of `n` so runs compare. (Ids as short as `e123` were
 * interned by `JSON.parse`, which keeps strings of up to 10 characters in V8's string table: a
 * cost the correlator, reading UUIDs, does not pay.)
 */
export function eventIdOf(n: number): string {
  const word = (k: number) => (Math.imul(n + 1, 0x9e3779b1) ^ Math.imul(k, 0x85ebca6b) ^ Math.imul(n, 0xc2b2ae35 + k)) >>> 0;
  const hex = (k: number, digits: number) => word(k).toString(16).padStart(8, '0').slice(0, digits);
  return `${hex(1, 8)}-${hex(2, 4)}-4${hex(3, 3)}-8${hex(4, 3)}-${hex(5, 4)}${hex(6, 8)}`;
}

/** Stamps in place, as the collector's `stampEvent` (libs/ingest) does: the parser's object is fresh. */
export function stamp(event: Record<string, any>, id: string, member: string): SocEvent {
  const meta = (event.event ??= {});
  meta.id = id;
  meta.ingested = event['@timestamp'];
  event.organization = { id: member };
  return event as SocEvent;
}
