import fc from 'fast-check';
import { decodeUtf8Body, invalidUtf8Offset } from './utf8';

const bytes = (...values: number[]) => Buffer.from(values);

describe(invalidUtf8Offset.name, () => {
  it('accepts ASCII and well-formed multi-byte text', () => {
    expect(invalidUtf8Offset(Buffer.from('{"message":"København 🛡️ 日本"}'))).toBeUndefined();
    expect(invalidUtf8Offset(bytes())).toBeUndefined();
  });

  it('names the offset of a Latin-1 byte', () => {
    expect(invalidUtf8Offset(Buffer.from('{"message":"K\xf8benhavn"}', 'latin1'))).toBe(13);
  });

  it.each([
    ['an overlong NUL', [0x41, 0xc0, 0x80], 1],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 0],
    ['a UTF-16 surrogate', [0x41, 0x42, 0xed, 0xa0, 0x80], 2],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a sequence cut off at the end', [0x41, 0xe2, 0x82], 1],
    ['a lone continuation byte', [0x80], 0],
    ['a byte that is never UTF-8', [0x41, 0xff], 1],
  ])('refuses %s', (_name, values, offset) => {
    expect(invalidUtf8Offset(bytes(...values))).toBe(offset);
  });

  it('agrees with a strict decoder on any bytes, and the offset is where strict decoding stops', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    const isValid = (b: Uint8Array) => {
      try {
        strict.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    // Random bytes, and valid text with a few random bytes in the middle.
    const textAroundBytes = fc
      .tuple(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.uint8Array({ maxLength: 3 }), fc.string({ unit: 'grapheme', maxLength: 20 }))
      .map(([before, middle, after]) => new Uint8Array(Buffer.concat([Buffer.from(before), middle, Buffer.from(after)])));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), textAroundBytes), (input) => {
        const offset = invalidUtf8Offset(input);
        expect(offset === undefined).toBe(isValid(input));
        if (offset !== undefined) {
          expect(isValid(input.subarray(0, offset))).toBe(true);
          expect(isValid(input.subarray(0, offset + 4).subarray(offset, offset + 4))).toBe(false);
        }
      }),
      { seed: 8259, numRuns: 2_000 },
    );
  });
});

describe(decodeUtf8Body.name, () => {
  it('drops a leading byte-order mark', () => {
    expect(decodeUtf8Body(Buffer.from('\ufeff{"a":1}'))).toEqual({ ok: true, text: '{"a":1}' });
  });

  it('refuses instead of replacing with U+FFFD', () => {
    expect(decodeUtf8Body(Buffer.from('ab\xe6', 'latin1'))).toEqual({ ok: false, offset: 2 });
  });
});
