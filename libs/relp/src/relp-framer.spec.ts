import fc from 'fast-check';
import { RelpFramer, RelpFramingError, relpMaxDataBytes, type RelpFrame } from './relp-framer';

const encode = (frame: RelpFrame): Buffer =>
  Buffer.concat([
    Buffer.from(`${frame.txnr} ${frame.command} ${frame.data.length}`, 'latin1'),
    frame.data.length > 0 ? Buffer.concat([Buffer.from(' '), frame.data]) : Buffer.alloc(0),
    Buffer.from('\n'),
  ]);

const plain = (frames: RelpFrame[]) => frames.map((frame) => ({ txnr: frame.txnr, command: frame.command, data: frame.data.toString('latin1') }));

function framesOf(text: string, maxDataBytes = relpMaxDataBytes): RelpFrame[] {
  return new RelpFramer({ maxDataBytes }).push(Buffer.from(text, 'latin1'));
}

function errorOf(text: string, maxDataBytes = relpMaxDataBytes): string {
  try {
    const framer = new RelpFramer({ maxDataBytes });
    framer.push(Buffer.from(text, 'latin1'));
    framer.end();
  } catch (error) {
    expect(error).toBeInstanceOf(RelpFramingError);
    return (error as Error).message;
  }
  throw new Error('no framing error');
}

const frameArbitrary: fc.Arbitrary<RelpFrame> = fc.record({
  txnr: fc.integer({ min: 0, max: 999_999_999 }),
  command: fc.stringMatching(/^[A-Za-z]{1,32}$/),
  // Data may hold anything, LF and digits included: DATALEN alone delimits it.
  data: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
});

/** Cuts a buffer at the given (sorted, deduplicated) offsets. */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(bytes.subarray(start, point));
    start = point;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

describe(RelpFramer.name, () => {
  it('reads the frames of the spec: open with offers, syslog, close with no data', () => {
    const frames = framesOf('1 open 14 relp_version=0\n2 syslog 5 hello\n3 close 0\n');
    expect(plain(frames)).toEqual([
      { txnr: 1, command: 'open', data: 'relp_version=0' },
      { txnr: 2, command: 'syslog', data: 'hello' },
      { txnr: 3, command: 'close', data: '' },
    ]);
  });

  it('takes DATA as DATALEN octets, whatever they hold', () => {
    expect(plain(framesOf('7 syslog 9 a\nb 12 x\n\n'))).toEqual([{ txnr: 7, command: 'syslog', data: 'a\nb 12 x\n' }]);
  });

  it('gives the same frames however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(frameArbitrary, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, offsets) => {
        const stream = Buffer.concat(frames.map(encode));
        const framer = new RelpFramer({ maxDataBytes: 1000 });
        const read = cut(stream, offsets).flatMap((piece) => framer.push(piece));
        framer.end();
        expect(plain(read)).toEqual(plain(frames));
        expect(framer.idle).toBe(true);
      }),
    );
  });

  it('gives the same frames byte by byte', () => {
    fc.assert(
      fc.property(fc.array(frameArbitrary, { maxLength: 4 }), (frames) => {
        const stream = Buffer.concat(frames.map(encode));
        const framer = new RelpFramer({ maxDataBytes: 1000 });
        const read: RelpFrame[] = [];
        for (const byte of stream) read.push(...framer.push(Buffer.from([byte])));
        expect(plain(read)).toEqual(plain(frames));
      }),
    );
  });

  it('holds a frame cut short until the rest arrives', () => {
    const framer = new RelpFramer({ maxDataBytes: 100 });
    expect(framer.push(Buffer.from('12 sysl'))).toEqual([]);
    expect(framer.idle).toBe(false);
    expect(framer.push(Buffer.from('og 3 ab'))).toEqual([]);
    expect(plain(framer.push(Buffer.from('c\n13 close 0\n')))).toEqual([
      { txnr: 12, command: 'syslog', data: 'abc' },
      { txnr: 13, command: 'close', data: '' },
    ]);
  });

  it('refuses a DATALEN over the limit as soon as its digits say so, naming the limit, command and TXNR', () => {
    const framer = new RelpFramer({ maxDataBytes: 1000 });
    expect(() => framer.push(Buffer.from('5 syslog 1001'))).toThrow(
      'RELP framing error at octet 12: DATALEN exceeds the limit of 1000 octets (command syslog, TXNR 5)',
    );
    expect(errorOf('5 syslog 99999999', 100)).toBe('RELP framing error at octet 11: DATALEN exceeds the limit of 100 octets (command syslog, TXNR 5)');
  });

  it('accepts a DATALEN of exactly the limit', () => {
    expect(framesOf(`1 syslog 4 abcd\n`, 4)[0].data.toString()).toBe('abcd');
  });

  it('keeps failing after the first error: RELP cannot resynchronise', () => {
    const framer = new RelpFramer({ maxDataBytes: 100 });
    expect(() => framer.push(Buffer.from('x'))).toThrow(RelpFramingError);
    expect(() => framer.push(Buffer.from('1 close 0\n'))).toThrow('RELP framing error at octet 0: TXNR expected (1 to 9 digits then SP), got "x"');
    expect(() => framer.end()).toThrow(RelpFramingError);
  });

  it.each([
    ['a TXNR that is not a number', 'a syslog 1 x\n', 'RELP framing error at octet 0: TXNR expected (1 to 9 digits then SP), got "a"'],
    ['an empty TXNR', ' syslog 1 x\n', 'RELP framing error at octet 0: TXNR expected (1 to 9 digits then SP), got 0x20'],
    ['a TXNR of 10 digits', '1234567890 syslog 1 x\n', 'RELP framing error at octet 9: TXNR longer than 9 digits'],
    ['a command with a digit', '1 sys1og 1 x\n', 'RELP framing error at octet 5: COMMAND expected (1 to 32 letters then SP), got "1"'],
    ['an empty command', '1  1 x\n', 'RELP framing error at octet 2: COMMAND expected (1 to 32 letters then SP), got 0x20'],
    ['a command of 33 letters', `1 ${'a'.repeat(33)} 0\n`, 'RELP framing error at octet 34: COMMAND longer than 32 letters'],
    ['a DATALEN that is not a number', '1 syslog x\n', 'RELP framing error at octet 9: DATALEN expected (1 to 9 digits), got "x"'],
    ['a DATALEN of 10 digits', '1 syslog 0000000001 x\n', 'RELP framing error at octet 18: DATALEN longer than 9 digits'],
    ['data after DATALEN 0', '1 close 0 x\n', 'RELP framing error at octet 9: LF expected after DATALEN 0, got 0x20'],
    ['no SP before the data', '1 syslog 3abc\n', 'RELP framing error at octet 10: SP expected between DATALEN and DATA, got "a"'],
    ['data longer than DATALEN', '1 syslog 2 abc\n', 'RELP framing error at octet 13: LF expected after 2 data octets, got "c"'],
    ['a connection ending inside the data', '1 syslog 5 ab', 'RELP framing error at octet 13: connection ended inside a frame (2 of 5 data octets)'],
    ['a connection ending inside the header', '1 sys', 'RELP framing error at octet 5: connection ended inside a frame (in its command)'],
  ])('refuses %s', (_name, text, message) => {
    expect(errorOf(text, 100)).toBe(message);
  });

  it('refuses a maximum size outside 1..999999999', () => {
    expect(() => new RelpFramer({ maxDataBytes: 0 })).toThrow('maxDataBytes must be an integer from 1 to 999999999, got 0');
  });
});
