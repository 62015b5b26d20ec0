import type { EcsObject } from './ecs-fields';
import { extractPamMessage, isPamMessage, parsePamAuthFields } from './pam-message';

describe(extractPamMessage.name, () => {
  it('maps an authentication failure with rhost and user', () => {
    expect(extractPamMessage('pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.112  user=root')).toEqual({
      event: { module: 'linux', dataset: 'linux.pam', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'pam_authentication' },
      pam: { module: 'pam_unix', service: 'sshd', type: 'auth' },
      user: { name: 'root' },
      source: { address: '192.0.2.112', ip: '192.0.2.112' },
    });
  });

  it('reads the older and shorter module prefixes', () => {
    expect(extractPamMessage('(pam_unix) authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=host.example')).toMatchObject({
      pam: { module: 'pam_unix' },
      source: { domain: 'host.example' },
    });
    expect(extractPamMessage('pam_unix: authentication failure; logname= uid=0 euid=0 tty=ftp ruser=an8767 rhost=www.google.com')).toMatchObject({
      user: { name: 'an8767' },
    });
    expect(extractPamMessage('pam_unix(auth): authentication failure; logname= uid=0 euid=0 tty=x ruser= rhost=192.0.2.2')).toMatchObject({
      pam: { type: 'auth' },
    });
  });

  it('maps sessions, with the opener as a related user', () => {
    expect(extractPamMessage('pam_unix(sudo:session): session opened for user root by ubuntu(uid=0)')).toMatchObject({
      event: { category: ['session'], type: ['start'], action: 'pam_session_open' },
      user: { name: 'root' },
      related: { user: ['root', 'ubuntu'] },
    });
    expect(extractPamMessage('pam_unix(cron:session): session closed for user root')).toMatchObject({
      event: { type: ['end'], action: 'pam_session_close' },
      user: { name: 'root' },
    });
  });

  it('maps unknown users, failure summaries and password changes', () => {
    expect((extractPamMessage('pam_unix(sshd:auth): check pass; user unknown')?.event as EcsObject).action).toBe('pam_user_unknown');
    expect(
      (extractPamMessage('pam_unix(sshd:auth): 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4')?.event as EcsObject).type,
    ).toEqual(['info']);
    expect(extractPamMessage('pam_unix(chpasswd:chauthtok): password changed for elastic_user_1')).toMatchObject({
      event: { category: ['iam'], action: 'pam_password_changed' },
      user: { name: 'elastic_user_1' },
    });
  });

  it('recognises only messages starting with a PAM module', () => {
    expect(isPamMessage('pam_systemd(su:session): Cannot create session')).toBe(true);
    expect(isPamMessage('authentication failure; rhost=1.2.3.4')).toBe(false);
    expect(extractPamMessage('authentication failure; rhost=1.2.3.4')).toBeUndefined();
  });
});

describe(parsePamAuthFields.name, () => {
  it('finds the real rhost when ruser or user carry an injected rhost=', () => {
    expect(parsePamAuthFields('logname= uid=0 euid=0 tty=xxx ruser=test rhost=192.0.2.151 rhost=192.0.2.1')).toEqual({
      uid: '0',
      euid: '0',
      tty: 'xxx',
      ruser: 'test rhost=192.0.2.151',
      rhost: '192.0.2.1',
    });
    expect(parsePamAuthFields('logname= uid=0 euid=0 tty=xxx ruser= rhost=192.0.2.2 user=test rhost=192.0.2.152')).toEqual({
      uid: '0',
      euid: '0',
      tty: 'xxx',
      rhost: '192.0.2.2',
      user: 'test rhost=192.0.2.152',
    });
  });
});
