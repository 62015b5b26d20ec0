import type { EcsObject } from './ecs-fields';
import { extractProgramMessage } from './program-message';

const options = { timeZone: 'UTC' };
const datasetOf = (program: string | undefined, message: string, facility?: number) =>
  (extractProgramMessage(program, message, { ...options, facility }).event as EcsObject).dataset;

describe(extractProgramMessage.name, () => {
  it('dispatches by program name, case-insensitively', () => {
    expect(datasetOf('sshd', 'Invalid user x from 1.2.3.4')).toBe('linux.sshd');
    expect(datasetOf('sshd-session', 'Invalid user x from 1.2.3.4')).toBe('linux.sshd');
    expect(datasetOf('SUDO', 'a : TTY=x ; PWD=/ ; USER=root ; COMMAND=/bin/ls')).toBe('linux.sudo');
    expect(datasetOf('su', 'FAILED su for root by a')).toBe('linux.auth');
    expect(datasetOf('useradd', 'new user: name=x, UID=0, GID=0')).toBe('linux.auth');
    expect(datasetOf('CRON', '(root) CMD (run-parts /etc/cron.hourly)')).toBe('linux.cron');
    expect(datasetOf('vsftpd', 'CONNECT: Client "1.2.3.4"')).toBe('linux.vsftpd');
  });

  it('keeps module and dataset for a known program whose message we do not categorise', () => {
    expect(extractProgramMessage('sshd', 'Server listening on :: port 22.', options)).toEqual({ event: { module: 'linux', dataset: 'linux.sshd' } });
  });

  it('puts other programs in linux.auth when they write to auth.log, else in linux.syslog', () => {
    expect(datasetOf('systemd-logind', 'New session 12 of user ubuntu.')).toBe('linux.auth');
    expect(datasetOf('myapp', 'login ok', 10)).toBe('linux.auth');
    expect(datasetOf('kernel', 'Out of memory', 0)).toBe('linux.syslog');
    expect(datasetOf(undefined, 'hello')).toBe('linux.syslog');
  });

  it('recognises web servers by name and their access or error lines by shape', () => {
    expect(datasetOf('apache2', '1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1 "-" "-"')).toBe('apache.access');
    expect(datasetOf('httpd/backend1', '[authz_core:error] [pid 22036] [client 192.0.2.2:59392] AH01630: client denied by server configuration: /x')).toBe(
      'apache.error',
    );
    expect(datasetOf('nginx', 'host nginx: 2025/09/07 21:20:40 [error] 23141#23141: *1 x, client: 192.0.2.120, server: w')).toBe('nginx.error');
    expect(extractProgramMessage('nginx', 'worker process 12 exited', options)).toEqual({ event: { module: 'nginx', dataset: 'nginx.error' } });
  });

  it('reads PAM module messages of any program as linux.pam', () => {
    expect(datasetOf('vsftpd', 'pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=a rhost=1.2.3.4')).toBe('linux.pam');
    expect(datasetOf('CRON', 'pam_unix(cron:session): session opened for user root by (uid=0)')).toBe('linux.pam');
  });

  it('reads the classic `sshd(pam_unix)[pid]:` tag of Linux-PAM before 0.99.2 as a PAM failed authentication', () => {
    const message = 'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=192.0.2.44  user=root';
    expect(extractProgramMessage('sshd(pam_unix)', message, options)).toEqual({
      event: { module: 'linux', dataset: 'linux.pam', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'pam_authentication' },
      pam: { module: 'pam_unix', service: 'sshd' },
      user: { name: 'root' },
      source: { address: '192.0.2.44', ip: '192.0.2.44' },
    });
    expect(datasetOf('login(pam_unix)', 'session opened for user root by LOGIN(uid=0)')).toBe('linux.pam');
    // A parenthesis that is not a PAM module stays part of an ordinary program name.
    expect(datasetOf('myapp(worker)', 'authentication failure; rhost=192.0.2.44')).toBe('linux.syslog');
  });
});
