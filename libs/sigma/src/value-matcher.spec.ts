import { compileFieldValues } from './value-matcher';
import { compileOrThrow, detectionRule, ecsEvent, errorsOf, matches, securityEvent } from './testing/rules';

const security = (detection: string) => compileOrThrow(detectionRule(detection));
const web = (detection: string) => compileOrThrow(detectionRule(detection, 'category: webserver'));
const webEvent = (url: string, extra: Record<string, unknown> = {}) => ecsEvent({ event: { dataset: 'nginx.access' }, url: { original: url }, ...extra });

describe(compileFieldValues.name, () => {
  describe('plain strings', () => {
    const rules = security(`
selection:
    TargetUserName: 'Administrator'
condition: selection`);

    it('matches the whole value case-insensitively', () => {
      expect(matches(rules, securityEvent('4625', { TargetUserName: 'administrator' }))).toBe(true);
      expect(matches(rules, securityEvent('4625', { TargetUserName: 'ADMINISTRATOR' }))).toBe(true);
    });

    it('does not match a value that only contains it', () => {
      expect(matches(rules, securityEvent('4625', { TargetUserName: 'Administrator2' }))).toBe(false);
    });

    it('does not match an absent field', () => {
      expect(matches(rules, securityEvent('4625', {}))).toBe(false);
    });
  });

  it('treats * and ? as wildcards and honours escapes (a backslash before * needs doubling)', () => {
    const rules = security(`
selection:
    - ProcessName: 'C:\\Windows\\\\*\\cmd.exe'
    - Status: '0xC00000?A'
    - ObjectName: 'literal\\*star'
condition: selection`);
    expect(matches(rules, securityEvent('4688', { ProcessName: 'c:\\windows\\system32\\CMD.EXE' }))).toBe(true);
    expect(matches(rules, securityEvent('4625', { Status: '0xc000006a' }))).toBe(true);
    expect(matches(rules, securityEvent('4625', { Status: '0xc000006' }))).toBe(false);
    expect(matches(rules, securityEvent('4663', { ObjectName: 'literal*star' }))).toBe(true);
    expect(matches(rules, securityEvent('4663', { ObjectName: 'literalXstar' }))).toBe(false);
  });

  it('lets a list of values match any of them, and with all, every one', () => {
    const any = security(`
selection:
    ProcessName|endswith:
        - '\\cmd.exe'
        - '\\powershell.exe'
condition: selection`);
    expect(matches(any, securityEvent('4688', { ProcessName: 'C:\\x\\powershell.exe' }))).toBe(true);
    const all = security(`
selection:
    CommandLine|contains|all:
        - '/user:'
        - '/passwd:'
condition: selection`);
    expect(matches(all, securityEvent('4688', { CommandLine: 'dsacls x /user:a /passwd:b' }))).toBe(true);
    expect(matches(all, securityEvent('4688', { CommandLine: 'dsacls x /user:a' }))).toBe(false);
  });

  it('compares a rule number with the event text of a number, and a rule text with an event number', () => {
    const rules = security(`
selection:
    EventID: 4625
    LogonType: 3
condition: selection`);
    expect(matches(rules, securityEvent('4625', { LogonType: '3' }))).toBe(true);
    expect(matches(rules, securityEvent('4625', { LogonType: '10' }))).toBe(false);
    const status = web(`
selection:
    sc-status: '404'
condition: selection`);
    expect(matches(status, webEvent('/x', { http: { response: { status_code: 404 } } }))).toBe(true);
  });

  it('matches null to an absent field and empty text to an empty field', () => {
    const rules = security(`
selection:
    EventID: 4738
    PasswordLastSet: null
condition: selection`);
    expect(matches(rules, securityEvent('4738', {}))).toBe(true);
    expect(matches(rules, securityEvent('4738', { PasswordLastSet: '' }))).toBe(false);
    const empty = security(`
selection:
    PasswordLastSet: ''
condition: selection`);
    expect(matches(empty, securityEvent('4738', { PasswordLastSet: '' }))).toBe(true);
    expect(matches(empty, securityEvent('4738', {}))).toBe(false);
  });

  it('matches booleans as booleans or as the words true and false', () => {
    const rules = compileOrThrow(
      detectionRule(
        `
selection:
    labels.flagged: true
condition: selection`,
        'category: webserver',
      ),
    );
    expect(matches(rules, webEvent('/', { labels: { flagged: 'True' } }))).toBe(true);
    expect(matches(rules, webEvent('/', { labels: { flagged: 'false' } }))).toBe(false);
  });

  it('matches any element of a list-valued field', () => {
    const rules = compileOrThrow(
      detectionRule(
        `
selection:
    event.category: authentication
condition: selection`,
        'product: linux',
      ),
    );
    expect(matches(rules, ecsEvent({ event: { dataset: 'linux.sshd', category: ['network', 'authentication'] } }))).toBe(true);
    expect(matches(rules, ecsEvent({ event: { dataset: 'linux.sshd', category: ['network'] } }))).toBe(false);
  });

  it('matches case-sensitively with cased', () => {
    const rules = security(`
selection:
    TargetUserName|cased: 'Admin'
condition: selection`);
    expect(matches(rules, securityEvent('4625', { TargetUserName: 'Admin' }))).toBe(true);
    expect(matches(rules, securityEvent('4625', { TargetUserName: 'admin' }))).toBe(false);
  });

  describe('re', () => {
    it('is case-sensitive and unanchored, with i, m and s flags', () => {
      const rules = security(`
selection:
    WorkstationName|re: '^[A-Za-z0-9]{16}$'
condition: selection`);
      expect(matches(rules, securityEvent('4625', { WorkstationName: 'z4lSo9BMWdcPLfLb' }))).toBe(true);
      expect(matches(rules, securityEvent('4625', { WorkstationName: 'DESKTOP-1' }))).toBe(false);
      const sensitive = security(`
selection:
    CommandLine|re: 'invoke-mimikatz'
condition: selection`);
      expect(matches(sensitive, securityEvent('4688', { CommandLine: 'x Invoke-Mimikatz' }))).toBe(false);
      const insensitive = security(`
selection:
    CommandLine|re|i: 'invoke-mimikatz'
condition: selection`);
      expect(matches(insensitive, securityEvent('4688', { CommandLine: 'x Invoke-Mimikatz' }))).toBe(true);
      const dotAll = security(`
selection:
    CommandLine|re|s: 'a.b'
condition: selection`);
      expect(matches(dotAll, securityEvent('4688', { CommandLine: 'a\nb' }))).toBe(true);
      const multiline = security(`
selection:
    CommandLine|re|m: '^b$'
condition: selection`);
      expect(matches(multiline, securityEvent('4688', { CommandLine: 'a\nb' }))).toBe(true);
    });

    it('rejects a value that is not text', () => {
      expect(errorsOf(detectionRule('selection:\n    CommandLine|re: 5\ncondition: selection'))).toEqual([
        "detection.selection.CommandLine|re: 're' needs a regular expression as text",
      ]);
    });

    it('rejects an expression JavaScript cannot compile', () => {
      expect(errorsOf(detectionRule("selection:\n    CommandLine|re: 'mimi(?i)katz'\ncondition: selection"))[0]).toMatch(
        /^detection\.selection\.CommandLine\|re: invalid regular expression: /,
      );
    });

    it('rejects PCRE syntax that JavaScript would silently read differently', () => {
      expect(errorsOf(detectionRule("selection:\n    CommandLine|re: '\\Aabc\\Z'\ncondition: selection"))).toEqual([
        'detection.selection.CommandLine|re: regular expression uses the escape \\A, which JavaScript reads differently; rewrite it',
      ]);
      expect(errorsOf(detectionRule("selection:\n    CommandLine|re: '[[:alpha:]]+'\ncondition: selection"))).toEqual([
        'detection.selection.CommandLine|re: regular expression uses a POSIX character class, which JavaScript reads differently; rewrite it',
      ]);
    });
  });

  describe('cidr', () => {
    const rules = security(`
selection:
    IpAddress|cidr:
        - '10.0.0.0/8'
        - '192.168.0.0/16'
        - 'fe80::/10'
        - '::1/128'
condition: selection`);

    it('matches IPv4 and IPv6 addresses inside the ranges', () => {
      expect(matches(rules, securityEvent('4624', { IpAddress: '10.1.2.3' }))).toBe(true);
      expect(matches(rules, securityEvent('4624', { IpAddress: '192.168.255.1' }))).toBe(true);
      expect(matches(rules, securityEvent('4624', { IpAddress: 'fe80::1' }))).toBe(true);
      expect(matches(rules, securityEvent('4624', { IpAddress: '::1' }))).toBe(true);
    });

    it('does not match other addresses or text that is no address', () => {
      expect(matches(rules, securityEvent('4624', { IpAddress: '11.0.0.1' }))).toBe(false);
      expect(matches(rules, securityEvent('4624', { IpAddress: '2001:db8::1' }))).toBe(false);
      expect(matches(rules, securityEvent('4624', { IpAddress: '-' }))).toBe(false);
      expect(matches(rules, securityEvent('4624', { IpAddress: '10.0.0.256' }))).toBe(false);
    });

    it('rejects a value that is not a range', () => {
      expect(errorsOf(detectionRule("selection:\n    IpAddress|cidr:\n        - '10.0.0.0/8'\n        - '10.0.0.0/33'\ncondition: selection"))).toEqual([
        "detection.selection.IpAddress|cidr[1]: 'cidr' value '10.0.0.0/33' is not a CIDR range",
      ]);
    });
  });

  describe('exists', () => {
    it('tests presence, even of an empty value', () => {
      const rules = security('selection:\n    PasswordLastSet|exists: true\ncondition: selection');
      expect(matches(rules, securityEvent('4738', { PasswordLastSet: '' }))).toBe(true);
      expect(matches(rules, securityEvent('4738', {}))).toBe(false);
      const absent = security('selection:\n    PasswordLastSet|exists: false\ncondition: selection');
      expect(matches(absent, securityEvent('4738', {}))).toBe(true);
    });

    it('rejects a value other than true or false', () => {
      expect(errorsOf(detectionRule("selection:\n    PasswordLastSet|exists: 'yes'\ncondition: selection"))).toEqual([
        "detection.selection.PasswordLastSet|exists: 'exists' needs true or false",
      ]);
    });
  });

  describe('gt, gte, lt, lte', () => {
    it('compares numbers, also numbers written as text', () => {
      const rules = security('selection:\n    KeyLength|gte: 128\n    KeyLength|lt: 1024\ncondition: selection');
      expect(matches(rules, securityEvent('4624', { KeyLength: '128' }))).toBe(true);
      expect(matches(rules, securityEvent('4624', { KeyLength: '1024' }))).toBe(false);
      expect(matches(rules, securityEvent('4624', { KeyLength: 'long' }))).toBe(false);
    });

    it('rejects a bound that is not a number', () => {
      expect(errorsOf(detectionRule("selection:\n    KeyLength|gt: 'ten'\ncondition: selection"))).toEqual([
        "detection.selection.KeyLength|gt: 'gt' needs a number",
      ]);
    });
  });

  describe('base64 and base64offset', () => {
    it('matches the Base64 form of the value', () => {
      const rules = security("selection:\n    CommandLine|base64|contains: 'IEX ('\ncondition: selection");
      expect(matches(rules, securityEvent('4688', { CommandLine: `powershell -enc ${Buffer.from('IEX (').toString('base64')}` }))).toBe(true);
    });

    it('finds the value at any offset inside a longer Base64 text, also UTF-16 encoded', () => {
      const rules = security("selection:\n    CommandLine|wide|base64offset|contains: 'Invoke-Mimikatz'\ncondition: selection");
      for (const prefix of ['', 'a', 'ab', 'abc', 'IEX; ']) {
        const payload = Buffer.from(`${prefix}Invoke-Mimikatz -DumpCreds`, 'utf16le').toString('base64');
        expect(matches(rules, securityEvent('4688', { CommandLine: `powershell -enc ${payload}` }))).toBe(true);
      }
      const other = Buffer.from('Get-Process', 'utf16le').toString('base64');
      expect(matches(rules, securityEvent('4688', { CommandLine: `powershell -enc ${other}` }))).toBe(false);
    });

    it('rejects wildcards in a value to encode', () => {
      expect(errorsOf(detectionRule("selection:\n    CommandLine|base64: 'IEX*'\ncondition: selection"))).toEqual([
        "detection.selection.CommandLine|base64: 'base64' cannot encode wildcards; escape * and ? as \\* and \\?",
      ]);
    });
  });

  it('expands windash into every dash a Windows flag may start with', () => {
    const rules = security("selection:\n    CommandLine|windash|contains: ' -enc '\ncondition: selection");
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) {
      expect(matches(rules, securityEvent('4688', { CommandLine: `powershell ${dash}enc AAAA` }))).toBe(true);
    }
    expect(matches(rules, securityEvent('4688', { CommandLine: 'powershell +enc AAAA' }))).toBe(false);
  });

  describe('fieldref', () => {
    const rules = security('selection:\n    SubjectUserName|fieldref: TargetUserName\ncondition: selection');

    it('compares two fields of the event case-insensitively', () => {
      expect(matches(rules, securityEvent('4648', { SubjectUserName: 'Alice', TargetUserName: 'alice' }))).toBe(true);
      expect(matches(rules, securityEvent('4648', { SubjectUserName: 'alice', TargetUserName: 'bob' }))).toBe(false);
      expect(matches(rules, securityEvent('4648', {}))).toBe(false);
    });

    it('rejects a value that is not a field name', () => {
      expect(errorsOf(detectionRule('selection:\n    SubjectUserName|fieldref: 5\ncondition: selection'))).toEqual([
        "detection.selection.SubjectUserName|fieldref: 'fieldref' needs a field name",
      ]);
    });

    it('rejects a referenced field without a mapping', () => {
      expect(errorsOf(detectionRule("selection:\n    cs-method|fieldref: 'no-such-field'\ncondition: selection", 'category: webserver'))).toEqual([
        "detection.selection.cs-method|fieldref: field 'no-such-field' has no mapping for web log sources (see libs/sigma/FIELD-MAPPING.md)",
      ]);
    });
  });

  describe('keywords', () => {
    const rules = compileOrThrow(detectionRule("keywords:\n    - 'stack smashing'\n    - 'syscall * out of bounds'\ncondition: keywords", 'product: linux'));

    it('search the message anywhere, case-insensitively, with wildcards', () => {
      expect(matches(rules, ecsEvent({ event: { dataset: 'linux.syslog' }, message: '*** STACK SMASHING detected ***' }))).toBe(true);
      expect(matches(rules, ecsEvent({ event: { dataset: 'linux.vsftpd' }, message: 'syscall 59 out of bounds' }))).toBe(true);
      expect(matches(rules, ecsEvent({ event: { dataset: 'linux.syslog' }, message: 'all fine' }))).toBe(false);
    });

    it('with |all, need every keyword', () => {
      const all = compileOrThrow(detectionRule("keywords:\n    '|all':\n        - 'new user'\n        - 'UID=0,'\ncondition: keywords", 'product: linux'));
      expect(matches(all, ecsEvent({ event: { dataset: 'linux.auth' }, message: 'new user: name=john, UID=0, GID=0' }))).toBe(true);
      expect(matches(all, ecsEvent({ event: { dataset: 'linux.auth' }, message: 'new user: name=john, UID=1000, GID=0' }))).toBe(false);
    });

    it('search the raw line when the parser kept no message', () => {
      const web = compileOrThrow(detectionRule("keywords:\n    - '.git/'\ncondition: keywords", 'category: webserver'));
      expect(matches(web, ecsEvent({ event: { dataset: 'apache.access', original: 'GET /.git/config HTTP/1.1' } }))).toBe(true);
    });

    it('rejects a null keyword', () => {
      expect(errorsOf(detectionRule('keywords:\n    - foo\n    - null\ncondition: keywords', 'product: linux'))).toEqual([
        'detection.keywords[1]: a keyword must not be null',
      ]);
    });
  });

  it('rejects an empty value list', () => {
    expect(errorsOf(detectionRule('selection:\n    TargetUserName: []\ncondition: selection'))).toEqual([
      'detection.selection.TargetUserName: a value list must not be empty',
    ]);
  });

  it('rejects all with a single value', () => {
    expect(errorsOf(detectionRule("selection:\n    CommandLine|contains|all: 'x'\ncondition: selection"))).toEqual([
      "detection.selection.CommandLine|contains|all: 'all' needs a list of at least two values",
    ]);
  });

  it('rejects a nested value', () => {
    expect(errorsOf(detectionRule('selection:\n    TargetUserName:\n        - a\n        - { b: c }\ncondition: selection'))).toEqual([
      'detection.selection.TargetUserName[1]: a value must be text, a number, true/false or null',
    ]);
  });

  it('rejects null with modifiers', () => {
    expect(errorsOf(detectionRule('selection:\n    TargetUserName|contains: null\ncondition: selection'))).toEqual([
      'detection.selection.TargetUserName|contains: null cannot be combined with modifiers',
    ]);
  });
});
