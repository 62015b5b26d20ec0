import fc from 'fast-check';
import { alertStatuses, severities } from '@soc/contracts';
import { anyInput, bodyInput, bound, fuzzSchema, queryInput, queryText } from '../../../../test/e2e/support/schema-fuzz';
import {
  alertListQuerySchema,
  assignBodySchema,
  bulkBodySchema,
  commentBodySchema,
  exceptionFromAlertBodySchema,
  maxBulkIds,
  statusBodySchema,
} from './triage.schemas';

// Property-based fuzzing (fast-check, FUZZ_SEED: docs/TESTING.md) of every triage query and body:
// only zod errors, and what is accepted keeps the bounds docs/API.md states.
const runs = 300;
const ids = fc.array(fc.oneof(queryText, fc.constant('x'.repeat(600))), { maxLength: 102 });

describe('triage schemas under fuzzed input', () => {
  it('alert list query: size 1-500, page 1-100, never page and search_after together, from not after to', () => {
    const keys = ['member', 'status', 'severity', 'rule', 'from', 'to', 'q', 'size', 'search_after', 'page'];
    fuzzSchema(alertListQuerySchema, fc.oneof(anyInput, queryInput(keys), queryInput(keys)), runs, (q) => {
      bound(Number.isInteger(q.size) && q.size >= 1 && q.size <= 500, 'size is not a whole number 1-500', q);
      bound(q.page === undefined || (Number.isInteger(q.page) && q.page >= 1 && q.page <= 100), 'page is not a whole number 1-100', q);
      bound(!(q.page !== undefined && q.search_after !== undefined), 'both page and search_after', q);
      bound(q.q === undefined || (q.q.length >= 1 && q.q.length <= 200), 'q is not 1-200 characters', q);
      bound(q.status === undefined || (alertStatuses as readonly string[]).includes(q.status), 'status is unknown', q);
      bound(q.severity === undefined || (severities as readonly string[]).includes(q.severity), 'severity is unknown', q);
      for (const time of [q.from, q.to]) bound(time === undefined || Number.isFinite(Date.parse(time)), 'a time is not a time', q);
      bound(!(q.from && q.to && Date.parse(q.from) > Date.parse(q.to)), 'from is after to', q);
    });
  });

  it('alert list query: from and to are compared as instants, whatever their offsets', () => {
    // to is 4 h before from although its text sorts after it (found by this fuzzing).
    const inverted = alertListQuerySchema.safeParse({ from: '2026-11-29T09:00:00+00:00', to: '2026-11-29T10:00:00+05:00' });
    expect(inverted.success ? [] : inverted.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['from: from must not be after to']);
    expect(alertListQuerySchema.safeParse({ from: '2026-11-29T10:00:00+05:00', to: '2026-11-29T09:00:00+00:00' }).success).toBe(true);
  });

  it('status, assign and comment bodies', () => {
    fuzzSchema(statusBodySchema, fc.oneof(anyInput, bodyInput(['status', 'reason'], { status: fc.constantFrom(...alertStatuses) })), runs, (b) => {
      bound((alertStatuses as readonly string[]).includes(b.status), 'status is unknown', b);
      bound(b.reason === undefined || b.reason.length <= 2000, 'reason is over 2000 characters', b);
    });
    fuzzSchema(assignBodySchema, fc.oneof(anyInput, bodyInput(['assignee'])), runs, (b) =>
      bound(
        b.assignee === null || (typeof b.assignee === 'string' && b.assignee.length >= 1 && b.assignee.length <= 200),
        'assignee is not null or 1-200 characters',
        b,
      ),
    );
    fuzzSchema(commentBodySchema, fc.oneof(anyInput, bodyInput(['text'])), runs, (b) =>
      bound(typeof b.text === 'string' && b.text.length >= 1 && b.text.length <= 10_000, 'text is not 1-10000 characters', b),
    );
  });

  it('bulk body: 1-100 non-empty ids, a known action', () => {
    const inputs = bodyInput(['action', 'ids', 'status', 'reason', 'assignee'], {
      action: fc.constantFrom('status', 'assign'),
      ids,
      status: fc.constantFrom(...alertStatuses),
      assignee: fc.oneof(fc.constant(null), queryText),
    });
    const nearValid = fc.oneof(
      fc.record(
        { action: fc.constant('status'), ids, status: fc.constantFrom(...alertStatuses), reason: queryText },
        { requiredKeys: ['action', 'ids', 'status'] },
      ),
      fc.record({ action: fc.constant('assign'), ids, assignee: fc.oneof(fc.constant(null), queryText) }),
    );
    fuzzSchema(bulkBodySchema, fc.oneof(anyInput, inputs, nearValid, nearValid), runs, (b) => {
      bound(b.ids.length >= 1 && b.ids.length <= maxBulkIds, `ids are not 1-${maxBulkIds}`, b);
      bound(
        b.ids.every((id) => typeof id === 'string' && id.length >= 1),
        'an id is empty',
        b,
      );
      bound(
        b.action === 'status' ? (alertStatuses as readonly string[]).includes(b.status) : b.assignee === null || b.assignee.length <= 200,
        'status or assignee out of bounds',
        b,
      );
    });
  });

  it('exception-from-alert body: a scope, at most 20 fields, a reason of 3 or more characters, a time', () => {
    const inputs = bodyInput(['scope', 'fields', 'reason', 'expires_at'], {
      scope: fc.constantFrom('member', 'global'),
      fields: fc.array(queryText, { maxLength: 22 }),
    });
    fuzzSchema(exceptionFromAlertBodySchema, fc.oneof(anyInput, inputs, inputs), runs, (b) => {
      bound(b.scope === 'member' || b.scope === 'global', 'scope is unknown', b);
      bound(b.fields === undefined || (b.fields.length <= 20 && b.fields.every((f) => f.length >= 1)), 'fields are over 20 or empty', b);
      bound(b.reason.length >= 3, 'reason is under 3 characters', b);
      bound(Number.isFinite(Date.parse(b.expires_at)), 'expires_at is not a time', b);
    });
  });
});
