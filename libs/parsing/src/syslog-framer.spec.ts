import { SyslogFramer, type SyslogFrame } from './syslog-framer';

/** Feeds `chunks` and returns the messages as text and the errors as `!reason`. */
function frame(chunks: Buffer[], options?: { maxMessageBytes?: number }): string[] {
  const framer = new SyslogFramer(options);
  const frames: SyslogFrame[] = [];
  for (const chunk of chunks) frames.push(...framer.push(chunk));
  frames.push(...framer.end());
  return frames.map((item) => (item.ok ? item.message.toString('utf8') : `!${item.reason}`));
}

function octetFrame(message: string): string {
  return `${Buffer.byteLength(message)} ${message}`;
}

/** Every way of cutting `input` into two chunks, plus one byte at a time. */
function splits(input: Buffer): Buffer[][] {
  const result: Buffer[][] = [[input]];
  for (let offset = 1; offset < input.length; offset++) result.push([input.subarray(0, offset), input.subarray(offset)]);
  result.push([...input].map((byte) => Buffer.from([byte])));
  return result;
}

const mixedStream = Buffer.from(
  [
    '<34>Oct 11 22:14:15 mymachine su: first\n',
    octetFrame('<165>1 2003-10-11T22:14:15.003Z host app - - [id@1 a="b\\"c"] second with\nnewline'),
    '<13>Jan  1 00:00:00 host tag: third\r\n',
    octetFrame('<14>1 - - - - - - fourth: ünïcödé'),
    '<13>Jan  1 00:00:00 host tag: fifth\u0000',
    '\n\n',
    '12345 not an octet count because no < follows\n',
    '<13>Jan  1 00:00:00 host tag: unterminated last',
  ].join(''),
);
const mixedStreamMessages = [
  '<34>Oct 11 22:14:15 mymachine su: first',
  '<165>1 2003-10-11T22:14:15.003Z host app - - [id@1 a="b\\"c"] second with\nnewline',
  '<13>Jan  1 00:00:00 host tag: third',
  '<14>1 - - - - - - fourth: ünïcödé',
  '<13>Jan  1 00:00:00 host tag: fifth',
  '12345 not an octet count because no < follows',
  '<13>Jan  1 00:00:00 host tag: unterminated last',
];

describe(SyslogFramer.name, () => {
  it('splits LF-, CRLF- and NUL-terminated messages and skips empty lines', () => {
    expect(frame([Buffer.from('a\nb\r\nc\u0000\n\r\nd\n')])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('detects octet counting per message and counts bytes, not characters', () => {
    expect(frame([mixedStream])).toEqual(mixedStreamMessages);
  });

  it('yields the same messages wherever the stream is cut into chunks', () => {
    for (const chunks of splits(mixedStream)) expect(frame(chunks)).toEqual(mixedStreamMessages);
  });

  it('reports which framing each message used', () => {
    const framer = new SyslogFramer();
    const frames = framer.push(Buffer.from(`${octetFrame('<13>1 - - - - - - x')}<13>y\n`));
    expect(frames.map((item) => item.ok && item.framing)).toEqual(['octet-counting', 'non-transparent']);
  });

  it('strips a newline that a sender counted into an octet frame', () => {
    expect(frame([Buffer.from('6 <13>x\n')])).toEqual(['<13>x']);
  });

  it('waits for the byte after MSG-LEN SP before deciding on octet counting', () => {
    const framer = new SyslogFramer();
    expect(framer.push(Buffer.from('5 '))).toEqual([]);
    expect(framer.push(Buffer.from('<13>x'))).toEqual([{ ok: true, message: Buffer.from('<13>x'), framing: 'octet-counting' }]);
  });

  it('rejects an octet count above the maximum and skips exactly that many bytes', () => {
    const oversize = `20 <13>${'x'.repeat(16)}`;
    const input = Buffer.from(`${oversize}<13>next\n`);
    for (const chunks of splits(input)) {
      expect(frame(chunks, { maxMessageBytes: 10 })).toEqual(['!octet count 20 exceeds the maximum message size of 10 bytes', '<13>next']);
    }
  });

  it('rejects a newline-framed message above the maximum and resumes after its terminator', () => {
    const input = Buffer.from(`<13>${'y'.repeat(20)}\r\n<13>ok\n<13>10byte\r\n`);
    for (const chunks of splits(input)) {
      expect(frame(chunks, { maxMessageBytes: 10 })).toEqual([
        '!message exceeds the maximum size of 10 bytes',
        '<13>ok',
        '<13>10byte', // exactly the maximum
      ]);
    }
  });

  it('keeps memory bounded: an endless line is reported once, not buffered', () => {
    const framer = new SyslogFramer({ maxMessageBytes: 1024 });
    const chunk = Buffer.alloc(4096, 0x61);
    const errors = [];
    for (let index = 0; index < 100; index++) errors.push(...framer.push(chunk));
    expect(errors).toEqual([{ ok: false, reason: 'message exceeds the maximum size of 1024 bytes' }]);
    expect(framer.push(Buffer.from('\n<13>after\n'))).toEqual([{ ok: true, message: Buffer.from('<13>after'), framing: 'non-transparent' }]);
  });

  it('reports a stream that ends inside an octet-counted frame', () => {
    expect(frame([Buffer.from('30 <13>only part')])).toEqual(['!stream ended inside an octet-counted frame (expected 30 bytes, received 13)']);
  });

  it('flushes an unterminated last message when the stream ends, without a trailing CR', () => {
    expect(frame([Buffer.from('<13>last\r')])).toEqual(['<13>last']);
  });

  it('refuses a maximum message size that is not a positive integer', () => {
    expect(() => new SyslogFramer({ maxMessageBytes: 0 })).toThrow('maxMessageBytes must be a positive integer, got 0');
  });

  it('handles many messages in one chunk in linear time', () => {
    const many = Buffer.from('<13>Jan  1 00:00:00 host tag: message\n'.repeat(50_000));
    const started = Date.now();
    const framer = new SyslogFramer();
    expect(framer.push(many)).toHaveLength(50_000);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
