import fc from 'fast-check';
import { checkProperty } from '../../../test/e2e/support/fuzz';
import { framed, messageBytes, syslogMessageSpec, tcpFraming } from '../../../test/e2e/support/syslog-arbitraries';
import { parseSyslogLine } from './parse-syslog-line';
import { SyslogFramer, type SyslogFrame } from './syslog-framer';

// Property-based fuzzing (fast-check, FUZZ_SEED: docs/TESTING.md) of the syslog front doors, with
// the arbitraries the e2e fuzzing sends over TCP and UDP.
const maxMessageBytes = 2048;
const now = new Date('2026-11-29T12:00:00Z');

describe('syslog parsing under fuzzed input', () => {
  it('parses every generated line into an event or a failure with a reason, never throwing', () => {
    checkProperty(
      fc.property(syslogMessageSpec(maxMessageBytes), fc.constantFrom('UTC', 'Europe/Copenhagen'), (spec, timeZone) => {
        const result = parseSyslogLine(messageBytes(spec, maxMessageBytes).toString('utf8'), { now, timeZone });
        if (!result.ok && (typeof result.reason !== 'string' || result.reason === '')) throw new Error(`a failure without a reason: ${JSON.stringify(result)}`);
      }),
      1000,
    );
  });

  it('frames a TCP byte stream the same however it is cut into chunks', () => {
    const describeFrames = (frames: SyslogFrame[]) => frames.map((f) => (f.ok ? `${f.framing}:${f.message.toString('base64')}` : `error:${f.reason}`));
    checkProperty(
      fc.property(
        fc.array(syslogMessageSpec(maxMessageBytes), { minLength: 1, maxLength: 8 }),
        tcpFraming,
        fc.array(fc.nat(), { maxLength: 12 }),
        (specs, framing, cuts) => {
          const stream = framed(
            specs.map((s) => messageBytes(s, maxMessageBytes)),
            framing,
          );
          const whole = new SyslogFramer({ maxMessageBytes });
          const expected = describeFrames([...whole.push(stream), ...whole.end()]);
          const chunked = new SyslogFramer({ maxMessageBytes });
          const frames: SyslogFrame[] = [];
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          let from = 0;
          for (const point of [...points, stream.length]) {
            frames.push(...chunked.push(stream.subarray(from, point)));
            from = point;
          }
          frames.push(...chunked.end());
          expect(describeFrames(frames)).toEqual(expected);
        },
      ),
      300,
    );
  });
});
