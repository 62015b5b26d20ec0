import { extractCiscoIosMessage, extractCiscoIosText, isCiscoIosTag } from './cisco-ios';
import { parseSyslogLine } from './parse-syslog-line';

// Lines in the shapes Cisco IOS sends them (sequence number, its own timestamp, `%CODE: text`);
// the first is the device's part of SigmaHQ's regression sample for cisco/aaa
// (../shared/data/sigmahq/regression_data/rules/cisco/aaa/cisco_cli_dot1x_disabled), with the PRI
// of its code's severity on IOS's default facility local7.
const loggedCommand = '<189>6705: Feb 17 13:40:03.673: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:no access-session port-control';
const configured = '<189>6706: *Feb 17 13:40:09.012: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.5)';
const withZone =
  '<189>6707: Feb 17 13:41:00.000 CET: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: admin] [Source: 10.0.0.5] [localport: 22] at 13:41:00 CET Tue Feb 17 2026';
const now = new Date('2026-03-01T00:00:00Z');

describe(extractCiscoIosMessage.name, () => {
  it('makes a command-log line cisco.aaa with the user and the command, the whole Cisco message as message', () => {
    const parsed = parseSyslogLine(loggedCommand, { now });
    expect(parsed.ok && parsed.event).toMatchObject({
      '@timestamp': '2026-02-17T13:40:03.673Z',
      event: {
        module: 'cisco',
        dataset: 'cisco.aaa',
        code: 'PARSER-5-CFGLOG_LOGGEDCMD',
        severity: 5,
        sequence: 6705,
        category: ['configuration'],
        type: ['change'],
        action: 'command-logged',
      },
      user: { name: 'admin' },
      message: '%PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:no access-session port-control',
      cisco: { ios: { facility: 'PARSER', severity: 5, mnemonic: 'CFGLOG_LOGGEDCMD', command: 'no access-session port-control' } },
      observer: { vendor: 'Cisco', type: 'network' },
    });
  });

  it('makes any other IOS message cisco.ios, clock unsynchronised (*) or with its zone shown', () => {
    expect(parseSyslogLine(configured, { now })).toMatchObject({
      event: { event: { dataset: 'cisco.ios', code: 'SYS-5-CONFIG_I' }, message: '%SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.5)' },
    });
    expect(parseSyslogLine(withZone, { now })).toMatchObject({
      event: { event: { dataset: 'cisco.ios', code: 'SEC_LOGIN-5-LOGIN_SUCCESS' }, cisco: { ios: { facility: 'SEC_LOGIN', mnemonic: 'LOGIN_SUCCESS' } } },
    });
  });

  it('tells IOS codes from program names and ordinary text', () => {
    expect(isCiscoIosTag('%LINEPROTO-5-UPDOWN')).toBe(true);
    expect(isCiscoIosTag('%SEC_LOGIN-5-LOGIN_SUCCESS')).toBe(true);
    expect(isCiscoIosTag('sshd')).toBe(false);
    expect(isCiscoIosTag('%SYS-9-CONFIG_I')).toBe(false);
    expect(isCiscoIosTag(undefined)).toBe(false);
    expect(extractCiscoIosText('%d of %d files copied')).toBeUndefined();
    expect(extractCiscoIosMessage('%PARSER-5-CFGLOG_LOGGEDCMD', 'not the command-log shape')).toMatchObject({ event: { dataset: 'cisco.ios' } });
  });
});
