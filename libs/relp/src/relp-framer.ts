/**
 * RELP frames (librelp's doc/relp.md, "RELP FRAME"):
 *
 *   RELP-FRAME = TXNR SP COMMAND SP DATALEN [SP DATA] TRAILER
 *   TXNR, DATALEN = 1*9DIGIT · COMMAND = 1*32ALPHA · TRAILER = LF
 *
 * DATA (DATALEN octets after one SP) is present only when DATALEN is not 0.
 */
export interface RelpFrame {
  readonly txnr: number;
  readonly command: string;
  readonly data: Buffer;
}

export interface RelpFramerOptions {
  /** Largest DATALEN accepted, in octets. RELP version 1 fixes it at 128 KiB; a larger one is refused. */
  maxDataBytes: number;
}

/** A frame that breaks the grammar or a bound. The connection cannot be resynchronised: close it. */
export class RelpFramingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelpFramingError';
  }
}

/** The spec's bound for RELP version 1 (and librelp's default). */
export const relpMaxDataBytes = 128 * 1024;

const maxDigits = 9;
const maxCommandLength = 32;
const space = 0x20;
const lineFeed = 0x0a;

type State = 'txnr' | 'command' | 'datalen' | 'data' | 'trailer' | 'failed';

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function isAlpha(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

function describe(byte: number): string {
  return byte >= 0x21 && byte <= 0x7e ? `"${String.fromCharCode(byte)}"` : `0x${byte.toString(16).padStart(2, '0')}`;
}

/**
 * Turns the bytes of one connection, in chunks cut anywhere, into RELP frames. The header is
 * read byte by byte (it is at most 53 octets); DATA is copied in slices. After the first error
 * every later call throws it again: RELP has no resynchronisation, the peer closes (spec,
 * "ERROR HANDLING").
 */
export class RelpFramer {
  private state: State = 'txnr';
  private txnr = 0;
  private digits = 0;
  private command = '';
  private dataLength = 0;
  private data?: Buffer;
  private filled = 0;
  private failure?: RelpFramingError;
  /** Octets consumed so far, for error positions. */
  private offset = 0;

  constructor(private readonly options: RelpFramerOptions) {
    if (!Number.isInteger(options.maxDataBytes) || options.maxDataBytes < 1 || options.maxDataBytes > 999_999_999) {
      throw new RangeError(`maxDataBytes must be an integer from 1 to 999999999, got ${options.maxDataBytes}`);
    }
  }

  /** True between frames: nothing of a started frame is held. */
  get idle(): boolean {
    return this.state === 'txnr' && this.digits === 0;
  }

  /** The complete frames this chunk finishes, in order; throws `RelpFramingError` at the first violation. */
  push(chunk: Uint8Array): RelpFrame[] {
    if (this.failure) throw this.failure;
    const frames: RelpFrame[] = [];
    let index = 0;
    while (index < chunk.length) {
      if (this.state === 'data') {
        const take = Math.min(this.dataLength - this.filled, chunk.length - index);
        (this.data as Buffer).set(chunk.subarray(index, index + take), this.filled);
        this.filled += take;
        index += take;
        this.offset += take;
        if (this.filled === this.dataLength) this.state = 'trailer';
        continue;
      }
      const frame = this.headerByte(chunk[index]);
      index += 1;
      this.offset += 1;
      if (frame) frames.push(frame);
    }
    return frames;
  }

  /** The connection ended: throws if it ended inside a frame. */
  end(): void {
    if (this.failure) throw this.failure;
    if (!this.idle)
      this.fail(`connection ended inside a frame (${this.state === 'data' ? `${this.filled} of ${this.dataLength} data octets` : `in its ${this.state}`})`);
  }

  private headerByte(byte: number): RelpFrame | undefined {
    switch (this.state) {
      case 'txnr':
        if (isDigit(byte) && this.digits < maxDigits) {
          this.txnr = this.txnr * 10 + (byte - 0x30);
          this.digits += 1;
        } else if (byte === space && this.digits > 0) {
          this.state = 'command';
          this.digits = 0;
        } else {
          this.fail(this.digits === maxDigits && isDigit(byte) ? 'TXNR longer than 9 digits' : `TXNR expected (1 to 9 digits then SP), got ${describe(byte)}`);
        }
        return undefined;
      case 'command':
        if (isAlpha(byte) && this.command.length < maxCommandLength) {
          this.command += String.fromCharCode(byte);
        } else if (byte === space && this.command.length > 0) {
          this.state = 'datalen';
        } else {
          this.fail(
            this.command.length === maxCommandLength && isAlpha(byte)
              ? 'COMMAND longer than 32 letters'
              : `COMMAND expected (1 to 32 letters then SP), got ${describe(byte)}`,
          );
        }
        return undefined;
      case 'datalen':
        if (isDigit(byte) && this.digits < maxDigits) {
          this.dataLength = this.dataLength * 10 + (byte - 0x30);
          this.digits += 1;
          if (this.dataLength > this.options.maxDataBytes) {
            // Refused as soon as the digits say so: nothing of it is buffered.
            this.fail(`DATALEN exceeds the limit of ${this.options.maxDataBytes} octets (command ${this.command}, TXNR ${this.txnr})`);
          }
          return undefined;
        }
        if (this.digits === 0) this.fail(`DATALEN expected (1 to 9 digits), got ${describe(byte)}`);
        else if (isDigit(byte)) this.fail('DATALEN longer than 9 digits');
        else if (this.dataLength === 0) return byte === lineFeed ? this.complete() : this.fail(`LF expected after DATALEN 0, got ${describe(byte)}`);
        else if (byte === space) this.startData();
        else this.fail(`SP expected between DATALEN and DATA, got ${describe(byte)}`);
        return undefined;
      case 'trailer':
        return byte === lineFeed ? this.complete() : this.fail(`LF expected after ${this.dataLength} data octets, got ${describe(byte)}`);
      default:
        return this.fail('unreachable framer state');
    }
  }

  private startData(): void {
    this.state = 'data';
    this.data = Buffer.allocUnsafe(this.dataLength);
    this.filled = 0;
  }

  private complete(): RelpFrame {
    const frame: RelpFrame = { txnr: this.txnr, command: this.command, data: this.data ?? Buffer.alloc(0) };
    this.state = 'txnr';
    this.txnr = 0;
    this.digits = 0;
    this.command = '';
    this.dataLength = 0;
    this.data = undefined;
    this.filled = 0;
    return frame;
  }

  private fail(reason: string): never {
    this.state = 'failed';
    this.failure = new RelpFramingError(`RELP framing error at octet ${this.offset}: ${reason}`);
    throw this.failure;
  }
}
