import fc from 'fast-check';
import { inboundEventSchema } from '@soc/contracts';
import { checkProperty } from '../../../test/e2e/support/fuzz';
import { messageBytes, syslogMessageSpec } from '../../../test/e2e/support/syslog-arbitraries';
import { logLineFormats, parseLogLine } from './parse-log-line';

// Property-based fuzzing (fast-check, FUZZ_SEED: docs/TESTING.md) of the raw-line front door that
// HTTP text/plain lines and JSON `message`s go through: syslog lines, access-log-like lines, noise.
const now = new Date('2026-12-02T12:00:00Z');
const accessLike = fc
  .tuple(fc.constantFrom('198.51.100.9', '::1', '-', 'host'), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 80 }))
  .map(([ip, user, target]) => `${ip} - ${user} [02/Dec/2026:10:15:01 +0000] "GET ${target} HTTP/1.1" 200 1 "-" "${target}"`);
const line = fc.oneof(
  syslogMessageSpec(2048).map((spec) => messageBytes(spec, 2048).toString('utf8')),
  accessLike,
  fc.string({ unit: 'grapheme', maxLength: 200 }),
);

describe('parseLogLine under fuzzed input', () => {
  it('answers every line with a contract-valid event or a failure with a reason, never throwing', () => {
    checkProperty(
      fc.property(line, fc.constantFrom(...logLineFormats), (text, format) => {
        const result = parseLogLine(text, { now, timeZone: 'Europe/Copenhagen', format });
        if (!result.ok) {
          if (result.reason === '' || result.reason.startsWith('internal parser error')) throw new Error(`bad failure: ${result.reason}`);
          return;
        }
        const parsed = inboundEventSchema.safeParse(result.event);
        if (!parsed.success) throw new Error(`not contract-valid: ${parsed.error.message}`);
      }),
      1000,
    );
  });
});
