import fc from 'fast-check';
import { checkProperty } from '../../../test/e2e/support/fuzz';
import { ecsEvent, forgedEvent, recordText, requestSpec, wronglyTypedEvent } from '../../../test/e2e/support/ingest-arbitraries';
import { parseEventBody } from './event-body';

// Property-based fuzzing (fast-check, FUZZ_SEED: docs/TESTING.md) of the HTTP body reader, with the
// same arbitraries the e2e fuzzing of POST /v1/events sends: it never throws, and it answers either
// events or at most 100 problems, each naming a line of the body and a field.
describe('event body reader under fuzzed input', () => {
  it('never throws, and names a real line for each problem', () => {
    const text = fc.oneof(
      requestSpec.map((spec) => spec.records.map(recordText).join(spec.format === 'ndjson-crlf' ? '\r\n' : '\n')),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.array(fc.oneof(ecsEvent, forgedEvent, wronglyTypedEvent), { minLength: 1, maxLength: 5 }).map((events) => JSON.stringify(events)),
    );
    checkProperty(
      fc.property(text, (body) => {
        const result = parseEventBody(body);
        if (result.ok) {
          if (result.events.length === 0) throw new Error('accepted a body without events');
          return;
        }
        const lines = body.split('\n').length;
        if (result.problems.length < 1 || result.problems.length > 100) throw new Error(`${result.problems.length} problems`);
        for (const problem of result.problems) {
          if (!(Number.isInteger(problem.line) && problem.line >= 0 && problem.line <= Math.max(lines, body.length)))
            throw new Error(`problem on line ${problem.line}`);
          if (typeof problem.path !== 'string' || typeof problem.message !== 'string' || problem.message === '')
            throw new Error(`problem without path or message: ${JSON.stringify(problem)}`);
        }
      }),
      300,
    );
  });
});
