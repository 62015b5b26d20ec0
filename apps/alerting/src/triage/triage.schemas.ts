import { z } from 'zod';
import { alertStatuses, severities } from '@soc/contracts';
import { maxResultWindow } from '@soc/storage';

/** An alert id as Elasticsearch can hold it (at most 512 bytes); longer ones cannot exist. */
const alertIdSchema = z
  .string()
  .min(1)
  .refine((id) => Buffer.byteLength(id) <= 512, 'an alert id is at most 512 bytes');

/** Every body and query of the triage API: strict, so an unknown field is a 400 naming it. */
export const alertListQuerySchema = z
  .strictObject({
    member: z.string().min(1).max(100).optional(),
    status: z.enum(alertStatuses).optional(),
    severity: z.enum(severities).optional(),
    rule: z.string().min(1).max(200).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    q: z.string().min(1).max(200).optional(),
    size: z.coerce.number().int().min(1).max(500).default(50),
    search_after: z.string().min(1).max(2_000).optional(),
    page: z.coerce.number().int().min(1).max(100).optional(),
  })
  .refine((q) => !(q.page && q.search_after), { message: 'use either page or search_after, not both', path: ['page'] })
  // Compared as instants: the two may carry different offsets (09:00+00:00 is after 10:00+05:00).
  .refine((q) => !(q.from && q.to && Date.parse(q.from) > Date.parse(q.to)), { message: 'from must not be after to', path: ['from'] })
  // Elasticsearch answers no page past its result window; deeper pages are reached with search_after.
  .refine((q) => !q.page || q.page * q.size <= maxResultWindow, {
    message: `page × size must be at most ${maxResultWindow}; use search_after (the previous page's next_cursor) to read further`,
    path: ['page'],
  });

export const statusBodySchema = z.strictObject({ status: z.enum(alertStatuses), reason: z.string().max(2000).optional() });
export const assignBodySchema = z.strictObject({ assignee: z.string().min(1).max(200).nullable() });
export const commentBodySchema = z.strictObject({ text: z.string().min(1).max(10_000) });

export const maxBulkIds = 100;
export const bulkBodySchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('status'),
    ids: z.array(alertIdSchema).min(1).max(maxBulkIds),
    status: z.enum(alertStatuses),
    reason: z.string().max(2000).optional(),
  }),
  z.strictObject({ action: z.literal('assign'), ids: z.array(alertIdSchema).min(1).max(maxBulkIds), assignee: z.string().min(1).max(200).nullable() }),
]);

/** An exception made from an alert: its rule, and an `equals` condition per chosen observable field. */
export const exceptionFromAlertBodySchema = z.strictObject({
  scope: z.enum(['member', 'global']).default('member'),
  fields: z.array(z.string().min(1)).max(20).optional(),
  reason: z.string().min(3),
  expires_at: z.iso.datetime({ offset: true }),
});
