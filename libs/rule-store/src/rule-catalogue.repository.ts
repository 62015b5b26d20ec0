import type { Redis } from '@soc/redis';
import {
  enablementSchema,
  levelOverrideSchema,
  ruleDocumentSchema,
  tuningSchema,
  type CatalogueSnapshot,
  type Enablement,
  type LevelOverride,
  type RuleDocument,
  type Tuning,
} from '@soc/rule-catalogue';
import type { z } from 'zod';
import { RuleCatalogueKeys } from './rule-catalogue.keys';

/** The parts of the catalogue a change writes: a value to store, or `null` to remove the field. */
export interface CatalogueChange {
  documents?: Map<string, Omit<RuleDocument, 'revision'> | null>;
  rules?: Map<string, Enablement | null>;
  folders?: Map<string, Enablement | null>;
  levels?: Map<string, LevelOverride | null>;
  tunings?: Map<string, Tuning | null>;
}

const hashes = ['documents', 'rules', 'folders', 'levels', 'tunings'] as const;
type HashName = (typeof hashes)[number];

/**
 * Applies a change only if the revision is still the one it was decided on: every field set or
 * removed, the revision raised by one (documents are written with the new revision already).
 * Answers the new revision, or -1 when another change came first.
 */
const applyChangeScript = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current ~= tonumber(ARGV[1]) then return -1 end
local i = 2
while i <= #ARGV do
  local key = KEYS[tonumber(ARGV[i + 1])]
  if ARGV[i] == 'set' then
    redis.call('HSET', key, ARGV[i + 2], ARGV[i + 3])
    i = i + 4
  else
    redis.call('HDEL', key, ARGV[i + 2])
    i = i + 3
  end
end
return redis.call('INCR', KEYS[1])
`;

/** Thrown when a change kept losing the race to other writers. */
export class CatalogueBusyError extends Error {}

/**
 * The rule catalogue in Redis (docs/RULES.md): rule documents, enablement, level overrides and
 * tunings, one revision raised by every change and announced on a channel. A change is decided on
 * a snapshot and written only if nobody changed the catalogue since (a script compares the revision),
 * so a check made on the snapshot (the rules compile) holds for what is stored.
 */
export class RuleCatalogueRepository {
  readonly keys: RuleCatalogueKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new RuleCatalogueKeys(prefix);
  }

  async revision(): Promise<number> {
    return Number((await this.redis.get(this.keys.revision)) ?? 0);
  }

  /** Everything at one revision (one MULTI). */
  async snapshot(): Promise<CatalogueSnapshot> {
    const replies = await this.redis
      .multi()
      .get(this.keys.revision)
      .hgetall(this.keys.documents)
      .hgetall(this.keys.rules)
      .hgetall(this.keys.folders)
      .hgetall(this.keys.levels)
      .hgetall(this.keys.tunings)
      .exec();
    if (!replies) throw new Error('the rule catalogue snapshot was aborted');
    for (const [error] of replies) if (error) throw error;
    const [revision, documents, rules, folders, levels, tunings] = replies.map(([, value]) => value) as [string | null, ...Record<string, string>[]];
    const parse = <T extends z.ZodType>(schema: T, hash: Record<string, string>): z.output<T>[] =>
      Object.keys(hash)
        .sort()
        .map((field) => schema.parse(JSON.parse(hash[field])));
    return {
      revision: Number(revision ?? 0),
      documents: parse(ruleDocumentSchema, documents),
      rules: parse(enablementSchema, rules),
      folders: parse(enablementSchema, folders),
      levels: parse(levelOverrideSchema, levels),
      // In the order they were added (the latest threshold wins).
      tunings: parse(tuningSchema, tunings).sort((a, b) => a.stamp.at.localeCompare(b.stamp.at) || a.id.localeCompare(b.id)),
    };
  }

  /**
   * Decides a change on a fresh snapshot (`decide` may throw to refuse it, or return undefined when
   * there is nothing to write) and writes it if the catalogue did not move meanwhile, retrying
   * otherwise. Answers the revision written (or the current one) and what `decide` returned.
   */
  async change<T>(decide: (snapshot: CatalogueSnapshot) => { change: CatalogueChange; result: T } | undefined): Promise<{ revision: number; result?: T }> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const snapshot = await this.snapshot();
      const decided = decide(snapshot);
      if (!decided) return { revision: snapshot.revision };
      const next = snapshot.revision + 1;
      const args: string[] = [String(snapshot.revision)];
      hashes.forEach((name: HashName, index) => {
        for (const [field, value] of decided.change[name] ?? []) {
          if (value === null) args.push('del', String(index + 2), field);
          else args.push('set', String(index + 2), field, JSON.stringify(name === 'documents' ? { ...value, revision: next } : value));
        }
      });
      const written = (await this.redis.eval(applyChangeScript, 6, this.keys.revision, ...hashes.map((name) => this.keys[name]), ...args)) as number;
      if (written === -1) continue;
      await this.redis.publish(this.keys.channel, String(written));
      return { revision: written, result: decided.result };
    }
    throw new CatalogueBusyError('the rule catalogue kept changing under this change: try again');
  }
}
