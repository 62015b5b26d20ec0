import type { RelpFrame } from './relp-framer';
import { formatRelpOffers, parseRelpOffers } from './relp-offers';
import { relpError, relpResponse } from './relp-responses';

export interface RelpServerSessionOptions {
  /** Our `relp_software` offer: name, version, URL (only the name is required). */
  software: readonly string[];
  /** The optional commands this server carries out (the `commands` offer), e.g. `['syslog']`. */
  commands: readonly string[];
}

/**
 * What a received frame asks of the server.
 * - `respond`: send `response` in this command's turn (`open`, a refused command); `close` after it ends the session.
 * - `message`: a command carrying data to act on (`syslog`): answer it with `relpOk`/`relpError` once done.
 * - `hint`: TXNR 0, never answered (spec: hints are not responded to).
 * - `violation`: the client broke the protocol; send `response` if there is one, then `relpServerClose` and close.
 */
export type RelpServerStep =
  | { kind: 'respond'; txnr: number; response: Buffer; close: boolean }
  | { kind: 'message'; txnr: number; command: string; data: Buffer }
  | { kind: 'hint'; command: string }
  | { kind: 'violation'; reason: string; txnr?: number; response?: Buffer };

/** RELP versions this server speaks: 1 is the spec's, 0 the one librelp still announces. */
const supportedVersions = ['0', '1'];
const lastTxnr = 999_999_999;

/**
 * The server side of one RELP session (librelp's doc/relp.md, "COMMAND SEMANTICS", "STATE
 * DIAGRAMS"): `open` first, with a `relp_version` offer; then the negotiated commands and
 * `close`. TXNRs must run 1, 2, 3… (latched at 999999999, then 1 again). Pure: it decides what
 * each frame asks for; the caller does the I/O and keeps responses in command order.
 */
export class RelpServerSession {
  private opened = false;
  private closing = false;
  private expectedTxnr = 1;
  private commands = new Set<string>();

  constructor(private readonly options: RelpServerSessionOptions) {}

  get isOpen(): boolean {
    return this.opened && !this.closing;
  }

  receive(frame: RelpFrame): RelpServerStep {
    if (frame.txnr === 0) return { kind: 'hint', command: frame.command };
    if (this.closing) return { kind: 'violation', reason: `command ${frame.command} after close` };
    if (frame.txnr !== this.expectedTxnr) {
      return { kind: 'violation', reason: `TXNR ${frame.txnr} out of sequence, expected ${this.expectedTxnr}` };
    }
    this.expectedTxnr = frame.txnr === lastTxnr ? 1 : frame.txnr + 1;
    const { txnr, command } = frame;
    if (!this.opened) {
      if (command !== 'open') return this.refuse(txnr, `${command} before open`);
      return this.open(frame);
    }
    if (command === 'open') return this.refuse(txnr, 'open on an open session');
    if (command === 'close') {
      this.closing = true;
      return { kind: 'respond', txnr, response: relpResponse(txnr, 200, 'OK'), close: true };
    }
    if (command === 'rsp') return this.refuse(txnr, 'rsp from the client');
    if (!this.commands.has(command)) {
      // Not negotiated (e.g. starttls): the spec says the client MUST NOT use it; refuse it and go on.
      return { kind: 'respond', txnr, response: relpError(txnr, `command ${command} not supported`), close: false };
    }
    return { kind: 'message', txnr, command, data: frame.data };
  }

  private open(frame: RelpFrame): RelpServerStep {
    const parsed = parseRelpOffers(frame.data);
    if (!parsed.ok) return this.refuse(frame.txnr, `invalid open offers: ${parsed.reason}`);
    const version = parsed.offers.get('relp_version')?.[0];
    if (version === undefined) return this.refuse(frame.txnr, 'open without a relp_version offer');
    if (!supportedVersions.includes(version)) return this.refuse(frame.txnr, `relp_version ${version} not supported (${supportedVersions.join(', ')})`);
    const offered = parsed.offers.get('commands') ?? [];
    const common = this.options.commands.filter((command) => offered.includes(command));
    if (common.length === 0) return this.refuse(frame.txnr, `no common command (offered: ${offered.join(',') || 'none'})`);
    this.opened = true;
    this.commands = new Set(common);
    const body = formatRelpOffers([
      ['relp_version', [version]],
      ['relp_software', this.options.software],
      ['commands', common],
    ]);
    return { kind: 'respond', txnr: frame.txnr, response: relpResponse(frame.txnr, 200, 'OK', body), close: false };
  }

  private refuse(txnr: number, reason: string): RelpServerStep {
    this.closing = true;
    return { kind: 'violation', reason, txnr, response: relpError(txnr, reason) };
  }
}
