import { ruleLevels } from '@soc/contracts';
import { z } from 'zod';

/**
 * Where a rule document came from: our `rules/` folder (`bundled`), SigmaHQ's public rule set
 * (`sigmahq`, Detection Rule License 1.1), another imported set (`third_party`), or written
 * through the API or CLI (`custom`).
 */
export const ruleOrigins = ['bundled', 'sigmahq', 'third_party', 'custom'] as const;
export type RuleOrigin = (typeof ruleOrigins)[number];

/** The licence a third-party origin's rules carry into every detection and alert. */
export const originLicences: Partial<Record<RuleOrigin, string>> = { sigmahq: 'DRL-1.1' };

/** Who changed something, when, and why: every stored change carries one. */
export const changeStampSchema = z.strictObject({
  by: z.string().min(1).max(200),
  at: z.iso.datetime({ offset: true }),
  why: z.string().min(1).max(1_000),
});
export type ChangeStamp = z.infer<typeof changeStampSchema>;

/** A relative path of `/`-separated segments, no `..`, no leading `/`. */
export const rulePathSchema = z
  .string()
  .min(1)
  .max(500)
  .regex(/^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9_.\-/]+$/, 'a relative path of letters, digits, _ . - and /, without . or .. segments')
  .transform((p) => p.replace(/\/+$/, ''));

/** One Sigma rule of a document, as the list and search show it. */
export const ruleEntrySchema = z.strictObject({
  id: z.string().min(1).optional(),
  /** Sigma's `name`, which correlation rules may refer to. */
  name: z.string().min(1).optional(),
  title: z.string().min(1),
  kind: z.enum(['detection', 'correlation']),
  level: z.enum(ruleLevels).optional(),
  author: z.string().optional(),
  references: z.array(z.string()),
  /** Correlation rules: the ids or names of the rules they count. */
  correlates: z.array(z.string()),
});
export type RuleEntry = z.infer<typeof ruleEntrySchema>;

/**
 * One rule file as data: its YAML text as written (several documents for a correlation rule and
 * its base rules), where it came from, and the catalogue revision that last wrote it.
 */
export const ruleDocumentSchema = z.strictObject({
  /** `<origin>/<path>`: unique in the catalogue. */
  key: z.string().min(1),
  origin: z.enum(ruleOrigins),
  /** Path within its origin's folder, e.g. `windows/process_creation/proc_creation_win_whoami.yml`; folders are its prefixes. */
  path: z.string().min(1),
  yaml: z.string().min(1),
  /** What each rule in the file is (read when the document was written), for listing without parsing. */
  rules: z.array(ruleEntrySchema),
  /** The catalogue revision that last wrote this document (part of every rule version). */
  revision: z.number().int().nonnegative(),
  stamp: changeStampSchema,
});
export type RuleDocument = z.infer<typeof ruleDocumentSchema>;

/** Enabled or disabled, for one rule (`target` = rule id) or a folder (`target` = path prefix). */
export const enablementSchema = z.strictObject({ target: z.string().min(1), enabled: z.boolean(), stamp: changeStampSchema });
export type Enablement = z.infer<typeof enablementSchema>;

export const levelOverrideSchema = z.strictObject({ rule_id: z.string().min(1), level: z.enum(ruleLevels), stamp: changeStampSchema });
export type LevelOverride = z.infer<typeof levelOverrideSchema>;

const timespanSchema = z.string().regex(/^[1-9]\d*[smhd]$/, 'a Sigma timespan such as 10m, 1h or 2d');

/**
 * An exclusion filter: one Sigma selection (a map of field conditions with modifiers, e.g.
 * `{ 'user.name': 'backup', 'process.command_line|contains': 'nightly' }`), all of which must hold.
 */
export const tuningFilterSchema = z
  .record(z.string().min(1), z.unknown())
  .refine((filter) => Object.keys(filter).length > 0, 'a filter needs at least one field');

/** What an API or CLI caller sends to add a tuning. */
export const tuningInputSchema = z
  .strictObject({
    /** Absent: every member (a global tuning). */
    member_id: z.string().min(1).max(100).optional(),
    /** Detection rules: events matching it no longer match the rule. */
    filter: tuningFilterSchema.optional(),
    /** Correlation rules (global only): the count the condition needs (`gte`). */
    threshold: z.number().int().positive().max(1_000_000).optional(),
    /** Correlation rules (global only): the window. */
    timespan: timespanSchema.optional(),
    why: z.string().min(1).max(1_000),
  })
  .superRefine((t, ctx) => {
    if (t.filter === undefined && t.threshold === undefined && t.timespan === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a tuning needs a filter, a threshold or a timespan' });
    }
    if (t.filter !== undefined && (t.threshold !== undefined || t.timespan !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['filter'],
        message: 'a filter tunes a detection rule, a threshold or timespan a correlation rule: send them as two tunings',
      });
    }
    if (t.member_id !== undefined && (t.threshold !== undefined || t.timespan !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['member_id'],
        message: "a threshold or timespan tuning is global: a correlation's window is shared by every member",
      });
    }
    if (t.filter !== undefined && t.member_id !== undefined && Object.keys(t.filter).some((f) => f.split('|')[0] === 'organization.id')) {
      ctx.addIssue({ code: 'custom', path: ['filter'], message: 'a member tuning sets organization.id itself: leave it out of the filter' });
    }
  });
export type TuningInput = z.infer<typeof tuningInputSchema>;

export const tuningSchema = z.strictObject({
  id: z.string().min(1),
  rule_id: z.string().min(1),
  member_id: z.string().min(1).optional(),
  filter: tuningFilterSchema.optional(),
  threshold: z.number().int().positive().optional(),
  timespan: timespanSchema.optional(),
  stamp: changeStampSchema,
});
export type Tuning = z.infer<typeof tuningSchema>;

/** Everything the correlators run from, read at one revision. */
export interface CatalogueSnapshot {
  revision: number;
  documents: RuleDocument[];
  /** Rule enablement, by rule id. */
  rules: Enablement[];
  /** Folder enablement, by path prefix (the longest matching prefix wins; a rule's own setting wins over any folder). */
  folders: Enablement[];
  levels: LevelOverride[];
  tunings: Tuning[];
}

export const emptySnapshot: CatalogueSnapshot = { revision: 0, documents: [], rules: [], folders: [], levels: [], tunings: [] };
