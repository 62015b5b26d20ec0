import { formatRelpOffers, parseRelpOffers } from './relp-offers';
import { RelpResponseOrder } from './relp-response-order';
import { relpError, relpHumanText, relpOk, relpResponse, relpServerClose } from './relp-responses';

describe('RELP responses', () => {
  it('frames 200 OK with the command TXNR and the DATALEN of its data', () => {
    expect(relpOk(42).toString()).toBe('42 rsp 6 200 OK\n');
  });

  it('frames 500 with a one-line printable reason of at most 80 characters', () => {
    expect(relpError(3, 'backlog\nfull\u00e6').toString()).toBe('3 rsp 16 500 backlog full\n');
    expect(relpHumanText('x'.repeat(100))).toHaveLength(80);
    expect(relpHumanText('\n')).toBe('error');
  });

  it('puts the offers after the status line and counts them in DATALEN', () => {
    const response = relpResponse(1, 200, 'OK', 'relp_version=1');
    expect(response.toString()).toBe('1 rsp 21 200 OK\nrelp_version=1\n');
  });

  it('refuses a TXNR that no command can carry', () => {
    expect(() => relpOk(0)).toThrow('a response needs the TXNR of a command (1 to 999999999), got 0');
  });

  it('sends serverclose as a hint: TXNR 0, no data', () => {
    expect(relpServerClose().toString()).toBe('0 serverclose 0\n');
  });
});

describe('RELP offers', () => {
  it('reads one offer per line, values split at commas, a name alone as no value', () => {
    const parsed = parseRelpOffers(Buffer.from('relp_version=0\nrelp_software=librelp,1.11.0,http://x\ncommands=syslog\n\nflag'));
    expect(parsed).toEqual({
      ok: true,
      offers: new Map([
        ['relp_version', ['0']],
        ['relp_software', ['librelp', '1.11.0', 'http://x']],
        ['commands', ['syslog']],
        ['flag', []],
      ]),
    });
  });

  it('refuses a value over 255 octets', () => {
    expect(parseRelpOffers(Buffer.from(`commands=${'a'.repeat(256)}`))).toEqual({ ok: false, reason: 'offer commands has a value longer than 255 octets' });
  });

  it('writes offers back in the same form', () => {
    expect(
      formatRelpOffers([
        ['relp_version', ['1']],
        ['commands', ['syslog', 'x']],
        ['flag', []],
      ]),
    ).toBe('relp_version=1\ncommands=syslog,x\nflag');
  });
});

describe(RelpResponseOrder.name, () => {
  it('releases responses in command order, whatever order they are settled in', () => {
    const order = new RelpResponseOrder();
    for (const txnr of [2, 3, 4]) order.reserve(txnr);
    order.settle(4, Buffer.from('4'));
    order.settle(3, Buffer.from('3'));
    expect(order.take()).toEqual([]);
    order.settle(2, Buffer.from('2'));
    expect(order.take().map(String)).toEqual(['2', '3', '4']);
    expect(order.outstanding).toBe(0);
  });

  it('refuses to settle a TXNR it does not hold', () => {
    const order = new RelpResponseOrder();
    order.reserve(2);
    expect(() => order.settle(9, Buffer.from('x'))).toThrow('no outstanding command with TXNR 9');
  });
});
