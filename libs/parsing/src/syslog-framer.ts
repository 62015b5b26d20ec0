/**
 * Splits a syslog TCP byte stream into messages (RFC 6587). Each message is framed either by
 * octet counting (`<len> <msg>`, detected by digits, a space and `<`) or non-transparently by
 * LF (CRLF and NUL tolerated); the choice is made per message, so a sender may mix them. Memory
 * stays bounded by the maximum message size: an oversize message is reported once and skipped.
 */

export interface SyslogFramerOptions {
  /** Largest message accepted, in bytes (default 64 KiB). */
  maxMessageBytes?: number;
}

export type SyslogFraming = 'octet-counting' | 'non-transparent';

export type SyslogFrame = { readonly ok: true; readonly message: Buffer; readonly framing: SyslogFraming } | { readonly ok: false; readonly reason: string };

const lineFeed = 0x0a;
const carriageReturn = 0x0d;
const nul = 0x00;
const space = 0x20;
const lessThan = 0x3c;
const maxCountDigits = 10;
const defaultMaxMessageBytes = 64 * 1024;
const emptyBuffer = Buffer.alloc(0);

function isTerminator(byte: number): boolean {
  return byte === lineFeed || byte === nul;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

export class SyslogFramer {
  private readonly maxMessageBytes: number;
  private pending: Buffer = emptyBuffer;
  /** Bytes of an oversize octet-counted frame still to be skipped. */
  private octetsToDiscard = 0;
  /** Skipping an oversize non-transparent message up to its terminator. */
  private discardingLine = false;

  constructor(options: SyslogFramerOptions = {}) {
    const max = options.maxMessageBytes ?? defaultMaxMessageBytes;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxMessageBytes must be a positive integer, got ${max}`);
    this.maxMessageBytes = max;
  }

  /** Feeds the next chunk; returns the messages (and framing errors) it completed, in order. */
  push(chunk: Buffer): SyslogFrame[] {
    const frames: SyslogFrame[] = [];
    let data = chunk;
    if (this.octetsToDiscard > 0) {
      const skip = Math.min(this.octetsToDiscard, data.length);
      this.octetsToDiscard -= skip;
      data = data.subarray(skip);
    }
    if (this.discardingLine) {
      const terminator = new TerminatorScanner(data).next(0);
      if (terminator === -1) return frames;
      this.discardingLine = false;
      data = data.subarray(terminator + 1);
    }
    if (data.length === 0) return frames;
    const buffer = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    const consumed = this.split(buffer, frames);
    this.pending = consumed < buffer.length ? Buffer.from(buffer.subarray(consumed)) : emptyBuffer;
    return frames;
  }

  /** The peer closed the stream: flushes an unterminated last message, reports a truncated frame. */
  end(): SyslogFrame[] {
    const frames: SyslogFrame[] = [];
    const rest = this.pending;
    this.pending = emptyBuffer;
    this.octetsToDiscard = 0;
    this.discardingLine = false;
    if (rest.length === 0) return frames;
    const frame = this.octetFrameAt(rest, 0);
    if (frame !== undefined && frame !== 'incomplete') {
      const received = rest.length - frame.start;
      frames.push({
        ok: false,
        reason: `stream ended inside an octet-counted frame (expected ${frame.length} bytes, received ${received})`,
      });
      return frames;
    }
    let end = rest.length;
    if (rest[end - 1] === carriageReturn) end--;
    if (end > 0) frames.push({ ok: true, message: rest.subarray(0, end), framing: 'non-transparent' });
    return frames;
  }

  /** Splits complete messages off `buffer`; returns how many bytes were consumed. */
  private split(buffer: Buffer, frames: SyslogFrame[]): number {
    const terminators = new TerminatorScanner(buffer);
    let position = 0;
    while (position < buffer.length) {
      const byte = buffer[position];
      if (isTerminator(byte) || byte === carriageReturn) {
        position++;
        continue;
      }
      const frame = isDigit(byte) ? this.octetFrameAt(buffer, position) : undefined;
      if (frame === 'incomplete') return position;
      if (frame !== undefined) {
        const available = buffer.length - frame.start;
        if (frame.length > this.maxMessageBytes) {
          frames.push({
            ok: false,
            reason: `octet count ${frame.length} exceeds the maximum message size of ${this.maxMessageBytes} bytes`,
          });
          if (available >= frame.length) {
            position = frame.start + frame.length;
            continue;
          }
          this.octetsToDiscard = frame.length - available;
          return buffer.length;
        }
        if (available < frame.length) return position;
        let end = frame.start + frame.length;
        if (buffer[end - 1] === lineFeed) end--;
        if (end > frame.start && buffer[end - 1] === carriageReturn) end--;
        frames.push({ ok: true, message: buffer.subarray(frame.start, end), framing: 'octet-counting' });
        position = frame.start + frame.length;
        continue;
      }
      const terminator = terminators.next(position);
      if (terminator === -1) {
        // A final CR may be the first half of CRLF: it does not count towards the size yet.
        const unterminated = buffer.length - position - (buffer[buffer.length - 1] === carriageReturn ? 1 : 0);
        if (unterminated > this.maxMessageBytes) {
          frames.push({ ok: false, reason: this.oversizeReason() });
          this.discardingLine = true;
          return buffer.length;
        }
        return position;
      }
      let end = terminator;
      if (end > position && buffer[end - 1] === carriageReturn) end--;
      if (end - position > this.maxMessageBytes) frames.push({ ok: false, reason: this.oversizeReason() });
      else frames.push({ ok: true, message: buffer.subarray(position, end), framing: 'non-transparent' });
      position = terminator + 1;
    }
    return position;
  }

  private oversizeReason(): string {
    return `message exceeds the maximum size of ${this.maxMessageBytes} bytes`;
  }

  /**
   * Recognises `MSG-LEN SP <` at `position`. Returns the frame, 'incomplete' when more bytes are
   * needed to decide, or undefined when this is not octet counting (then LF framing applies).
   */
  private octetFrameAt(buffer: Buffer, position: number): { length: number; start: number } | 'incomplete' | undefined {
    if (buffer[position] === 0x30) return undefined; // MSG-LEN has no leading zero
    let cursor = position;
    while (cursor < buffer.length && isDigit(buffer[cursor])) {
      cursor++;
      if (cursor - position > maxCountDigits) return undefined;
    }
    if (cursor === position) return undefined;
    if (cursor >= buffer.length - 1) return 'incomplete';
    if (buffer[cursor] !== space || buffer[cursor + 1] !== lessThan) return undefined;
    return { length: Number(buffer.toString('latin1', position, cursor)), start: cursor + 1 };
  }
}

/**
 * Finds the next LF or NUL at or after a position. Remembers where each was last found so that a
 * buffer holding many messages is scanned once, not once per message.
 */
class TerminatorScanner {
  private lineFeedAt = -2; // -2: not searched yet, -1: none left
  private nulAt = -2;

  constructor(private readonly buffer: Buffer) {}

  next(from: number): number {
    if (this.lineFeedAt !== -1 && this.lineFeedAt < from) this.lineFeedAt = this.buffer.indexOf(lineFeed, from);
    if (this.nulAt !== -1 && this.nulAt < from) this.nulAt = this.buffer.indexOf(nul, from);
    if (this.lineFeedAt === -1) return this.nulAt;
    if (this.nulAt === -1) return this.lineFeedAt;
    return Math.min(this.lineFeedAt, this.nulAt);
  }
}
