import { extractAuditRecord } from './audit-record';

// Real records from fail2ban's selinux-ssh test log (../shared/data/fail2ban-test-logs/logs/selinux-ssh).
const userAuth =
  'type=USER_AUTH msg=audit(1383116263.000:603): pid=12887 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg=\'op=password acct="dan" exe="/usr/sbin/sshd" hostname=? addr=192.168.3.100 terminal=ssh res=failed\'';
const userErr =
  'type=USER_ERR msg=audit(1373330717.000:4070): user pid=12000 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg=\'op=PAM:bad_ident acct="?" exe="/usr/sbin/sshd" hostname=173.242.116.187 addr=173.242.116.187 terminal=ssh res=failed\'';
const userLoginHexAccount =
  'type=USER_LOGIN msg=audit(1373330717.000:4068): user pid=12000 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg=\'op=login acct=28756E6B6E6F776E207573657229 exe="/usr/sbin/sshd" hostname=? addr=173.242.116.187 terminal=ssh res=failed\'';
const enriched =
  'type=USER_AUTH msg=audit(1668381071.000:373474): pid=173582 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg=\'op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=192.0.2.111 addr=192.0.2.111 terminal=ssh res=failed\'UID="root" AUID="unset"';

describe(extractAuditRecord.name, () => {
  it('maps a failed USER_AUTH to one failed authentication with the address, account and executable', () => {
    expect(extractAuditRecord(userAuth)).toEqual({
      '@timestamp': '2013-10-30T06:57:43.000Z',
      event: {
        module: 'auditd',
        dataset: 'linux.auditd',
        kind: 'event',
        action: 'user_auth',
        category: ['authentication'],
        type: ['start'],
        outcome: 'failure',
      },
      auditd: {
        log: {
          record_type: 'USER_AUTH',
          sequence: 603,
          pid: '12887',
          uid: '0',
          auid: '4294967295',
          ses: '4294967295',
          subj: 'system_u:system_r:sshd_t:s0-s0:c0.c1023',
          op: 'password',
          acct: 'dan',
          exe: '/usr/sbin/sshd',
          hostname: '?',
          addr: '192.168.3.100',
          terminal: 'ssh',
          res: 'failed',
        },
      },
      message: userAuth.slice(userAuth.indexOf('pid=')),
      source: { address: '192.168.3.100', ip: '192.168.3.100' },
      user: { name: 'dan' },
      process: { pid: 12887, executable: '/usr/sbin/sshd', name: 'sshd' },
    });
  });

  it('counts a failed USER_ERR (op=PAM:bad_ident) as an attempt without a user', () => {
    const fields = extractAuditRecord(userErr);
    expect(fields).toMatchObject({
      event: { action: 'user_err', category: ['authentication'], type: ['start'], outcome: 'failure' },
      source: { ip: '173.242.116.187' },
    });
    expect(fields?.user).toBeUndefined();
  });

  it('makes a failed USER_LOGIN a notice (it repeats the attempt USER_AUTH reported) and decodes a hex account', () => {
    const fields = extractAuditRecord(userLoginHexAccount);
    expect(fields).toMatchObject({ event: { action: 'user_login', category: ['authentication', 'session'], type: ['info'], outcome: 'failure' } });
    expect((fields?.auditd as { log: { acct: string } }).log.acct).toBe('(unknown user)');
    // `(unknown user)` is auditd's placeholder, not an account name.
    expect(fields?.user).toBeUndefined();
  });

  it('reads ENRICHED fields after the inner message, and the milliseconds of the timestamp', () => {
    expect(extractAuditRecord(enriched)).toMatchObject({
      auditd: { log: { UID: 'root', AUID: 'unset', grantors: '?' } },
      source: { ip: '192.0.2.111' },
      user: { name: 'root' },
    });
    expect(
      extractAuditRecord('type=USER_LOGIN msg=audit(1373330716.415:4063): user pid=11998 msg=\'op=login acct="root" addr=173.242.116.187 res=failed\'')?.[
        '@timestamp'
      ],
    ).toBe('2013-07-09T00:45:16.415Z');
  });

  it("reads a multi-node record and the kernel's numeric form from the journal", () => {
    expect(extractAuditRecord(`node=web01 ${userAuth}`)).toMatchObject({ auditd: { log: { node: 'web01', record_type: 'USER_AUTH' } } });
    const kernel =
      'audit: type=1100 audit(1383116263.000:603): pid=12887 uid=0 auid=4294967295 ses=4294967295 msg=\'op=password acct="dan" exe="/usr/sbin/sshd" hostname=? addr=192.168.3.100 terminal=ssh res=failed\'';
    expect(extractAuditRecord(kernel)).toMatchObject({ event: { action: 'user_auth', type: ['start'], outcome: 'failure' }, source: { ip: '192.168.3.100' } });
  });

  it('keeps records of other types with their fields and no categorisation', () => {
    const syscall = 'type=SYSCALL msg=audit(1700000000.123:77): arch=c000003e syscall=59 success=yes exit=0 comm="bash" exe="/usr/bin/bash" key="exec"';
    const fields = extractAuditRecord(syscall);
    expect(fields).toMatchObject({
      event: { action: 'syscall', dataset: 'linux.auditd' },
      process: { name: 'bash', executable: '/usr/bin/bash' },
      auditd: { log: { key: 'exec', syscall: '59' } },
    });
    expect((fields?.event as { category?: unknown }).category).toBeUndefined();
  });

  it("decodes an EXECVE record's hex-encoded arguments and leaves a SYSCALL record's hex numbers alone", () => {
    // The kernel quotes an argument, or writes it in upper-case hex, unquoted, when it holds a space,
    // a quote or a control byte: `a2` is "/tmp/my dir".
    const execve = 'type=EXECVE msg=audit(1764490442.120:8812): argc=3 a0="ls" a1="-la" a2=2F746D702F6D7920646972';
    expect(extractAuditRecord(execve)).toMatchObject({ auditd: { log: { record_type: 'EXECVE', a0: 'ls', a1: '-la', a2: '/tmp/my dir' } } });
    const syscall =
      'type=SYSCALL msg=audit(1764490442.120:8812): arch=c000003e syscall=59 success=yes exit=0 a0=55d0c2a0b6d0 a1=7fffc35833f0 a2=94 a3=0 items=2';
    expect(extractAuditRecord(syscall)).toMatchObject({ auditd: { log: { a0: '55d0c2a0b6d0', a1: '7fffc35833f0', a2: '94', a3: '0' } } });
  });

  it('names the kernel-space record types when the kernel logs them by number', () => {
    const kernel = 'audit: type=1309 audit(1764490442.120:8812): argc=2 a0="chattr" a1="-i"';
    expect(extractAuditRecord(kernel)).toMatchObject({ event: { action: 'execve' }, auditd: { log: { record_type: 'EXECVE', a1: '-i' } } });
    expect(extractAuditRecord('audit: type=1302 audit(1764490442.120:8812): item=0 name="/etc/shadow" nametype=NORMAL')).toMatchObject({
      auditd: { log: { record_type: 'PATH', name: '/etc/shadow' } },
    });
  });

  it('keeps the ENRICHED translations after the 0x1d separator under their upper-case names', () => {
    const record =
      'type=SYSCALL msg=audit(1764490442.120:8812): arch=c000003e syscall=59 euid=33 comm="sh" exe="/usr/bin/dash" key=(null)\u001dARCH=x86_64 SYSCALL=execve EUID="www-data"';
    expect(extractAuditRecord(record)).toMatchObject({ auditd: { log: { syscall: '59', SYSCALL: 'execve', euid: '33', EUID: 'www-data', key: '(null)' } } });
  });

  it('refuses text that is not an audit record', () => {
    expect(extractAuditRecord('type=USER_AUTH pid=1 res=failed')).toBeUndefined();
    expect(extractAuditRecord('Failed password for root from 1.2.3.4 port 22 ssh2')).toBeUndefined();
    expect(extractAuditRecord('type=user_auth msg=audit(1.000:1): x')).toBeUndefined();
  });
});
