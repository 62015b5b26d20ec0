/**
 * What a RELP server sends (librelp's doc/relp.md): `rsp` frames answering a command with its
 * TXNR, and the `serverclose` hint (TXNR 0, never answered) before the server closes.
 *
 *   TXNR SP "rsp" SP DATALEN SP STATUS SP HUMAN-TEXT [LF DATA] LF
 */
export type RelpStatus = 200 | 500;

/** HUMAN-TEXT: one short printable line (the spec bounds it at 80 characters). */
const maxHumanText = 80;

export function relpHumanText(text: string): string {
  const printable = text.replace(/[^\x20-\x7e]+/g, ' ').trim();
  return (printable.length > maxHumanText ? printable.slice(0, maxHumanText) : printable) || 'error';
}

/** One `rsp` frame; `body` (the open offers) follows the status line after an LF. */
export function relpResponse(txnr: number, status: RelpStatus, text: string, body?: string): Buffer {
  if (!Number.isInteger(txnr) || txnr < 1 || txnr > 999_999_999) throw new RangeError(`a response needs the TXNR of a command (1 to 999999999), got ${txnr}`);
  const statusLine = `${status} ${relpHumanText(text)}`;
  const data = Buffer.from(body === undefined ? statusLine : `${statusLine}\n${body}`, 'utf8');
  return Buffer.concat([Buffer.from(`${txnr} rsp ${data.length} `, 'latin1'), data, Buffer.from('\n', 'latin1')]);
}

export function relpOk(txnr: number): Buffer {
  return relpResponse(txnr, 200, 'OK');
}

export function relpError(txnr: number, reason: string): Buffer {
  return relpResponse(txnr, 500, reason);
}

/** The hint a server SHOULD send before closing, so the client notices at once. */
export function relpServerClose(): Buffer {
  return Buffer.from('0 serverclose 0\n', 'latin1');
}
