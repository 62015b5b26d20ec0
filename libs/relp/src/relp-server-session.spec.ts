import { RelpServerSession, type RelpServerStep } from './relp-server-session';

const librelpOpen = 'relp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog';

function session(): RelpServerSession {
  return new RelpServerSession({ software: ['soc-collector', '1'], commands: ['syslog'] });
}

const frame = (txnr: number, command: string, data = '') => ({ txnr, command, data: Buffer.from(data) });
const text = (step: RelpServerStep) => ('response' in step && step.response ? step.response.toString() : undefined);

describe(RelpServerSession.name, () => {
  it('answers open with the accepted offers: the client version, our software, the common commands', () => {
    const relp = session();
    const step = relp.receive(frame(1, 'open', librelpOpen));
    expect(step).toMatchObject({ kind: 'respond', txnr: 1, close: false });
    expect(text(step)).toBe('1 rsp 67 200 OK\nrelp_version=0\nrelp_software=soc-collector,1\ncommands=syslog\n');
    expect(relp.isOpen).toBe(true);
  });

  it('hands over each syslog command with its TXNR and data', () => {
    const relp = session();
    relp.receive(frame(1, 'open', librelpOpen));
    expect(relp.receive(frame(2, 'syslog', '<13>hello'))).toEqual({ kind: 'message', txnr: 2, command: 'syslog', data: Buffer.from('<13>hello') });
  });

  it('answers close 200 OK and asks for the session to end', () => {
    const relp = session();
    relp.receive(frame(1, 'open', librelpOpen));
    const step = relp.receive(frame(2, 'close'));
    expect(step).toMatchObject({ kind: 'respond', txnr: 2, close: true });
    expect(text(step)).toBe('2 rsp 6 200 OK\n');
    expect(relp.receive(frame(3, 'syslog', 'late'))).toEqual({ kind: 'violation', reason: 'command syslog after close' });
  });

  it('ignores hints (TXNR 0), which are never answered', () => {
    const relp = session();
    expect(relp.receive(frame(0, 'serverclose'))).toEqual({ kind: 'hint', command: 'serverclose' });
    expect(relp.receive(frame(1, 'open', librelpOpen)).kind).toBe('respond');
  });

  it('answers a command that was not negotiated 500 and goes on', () => {
    const relp = session();
    relp.receive(frame(1, 'open', librelpOpen));
    expect(text(relp.receive(frame(2, 'starttls')))).toBe('2 rsp 34 500 command starttls not supported\n');
    expect(relp.receive(frame(3, 'syslog', 'x')).kind).toBe('message');
  });

  it('latches the TXNR at 999999999, then expects 1', () => {
    const relp = session();
    relp.receive(frame(1, 'open', librelpOpen));
    // Reaching the top takes 10^9 frames: start the count just below it.
    (relp as unknown as { expectedTxnr: number }).expectedTxnr = 999_999_999;
    expect(relp.receive(frame(999_999_999, 'syslog', 'a')).kind).toBe('message');
    expect(relp.receive(frame(1, 'syslog', 'b')).kind).toBe('message');
  });

  it.each([
    ['a command before open', [frame(1, 'syslog', 'x')], 'syslog before open', '1 rsp 22 500 syslog before open\n'],
    [
      'an open without relp_version',
      [frame(1, 'open', 'commands=syslog')],
      'open without a relp_version offer',
      '1 rsp 37 500 open without a relp_version offer\n',
    ],
    [
      'an unknown relp_version',
      [frame(1, 'open', 'relp_version=7\ncommands=syslog')],
      'relp_version 7 not supported (0, 1)',
      '1 rsp 39 500 relp_version 7 not supported (0, 1)\n',
    ],
    [
      'an open without syslog',
      [frame(1, 'open', 'relp_version=1\ncommands=eventlog')],
      'no common command (offered: eventlog)',
      '1 rsp 41 500 no common command (offered: eventlog)\n',
    ],
    ['a second open', [frame(1, 'open', librelpOpen), frame(2, 'open', librelpOpen)], 'open on an open session', '2 rsp 27 500 open on an open session\n'],
    ['an rsp from the client', [frame(1, 'open', librelpOpen), frame(2, 'rsp', '200 OK')], 'rsp from the client', '2 rsp 23 500 rsp from the client\n'],
    [
      'an offer name over 32 octets',
      [frame(1, 'open', `${'n'.repeat(33)}=1`)],
      `invalid open offers: offer name must be 1 to 32 octets: "${'n'.repeat(33)}"`,
      undefined,
    ],
  ])('refuses %s and closes', (_name, frames, reason, response) => {
    const relp = session();
    let step: RelpServerStep | undefined;
    for (const received of frames) step = relp.receive(received);
    expect(step).toMatchObject({ kind: 'violation', reason });
    if (response !== undefined) expect(text(step!)).toBe(response);
    expect(relp.isOpen).toBe(false);
  });

  it('refuses a TXNR out of sequence without answering it', () => {
    const relp = session();
    relp.receive(frame(1, 'open', librelpOpen));
    expect(relp.receive(frame(5, 'syslog', 'x'))).toEqual({ kind: 'violation', reason: 'TXNR 5 out of sequence, expected 2' });
    expect(relp.receive(frame(1, 'open', librelpOpen))).toEqual({ kind: 'violation', reason: 'TXNR 1 out of sequence, expected 2' });
  });
});
