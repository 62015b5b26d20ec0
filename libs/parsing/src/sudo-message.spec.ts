import { extractSudoMessage } from './sudo-message';

describe(extractSudoMessage.name, () => {
  it('maps a command run as root', () => {
    expect(extractSudoMessage('  ubuntu : TTY=pts/0 ; PWD=/home/ubuntu ; USER=root ; COMMAND=/bin/sh -c echo a ; echo b')).toEqual({
      event: { module: 'linux', dataset: 'linux.sudo', category: ['process'], type: ['start'], outcome: 'success', action: 'sudo_command' },
      user: { name: 'ubuntu', effective: { name: 'root' } },
      process: { command_line: '/bin/sh -c echo a ; echo b', working_directory: '/home/ubuntu' },
    });
  });

  it('maps wrong passwords as a failed authentication and refusals as denied', () => {
    expect(extractSudoMessage('alice : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/ls')).toMatchObject({
      event: { category: ['authentication', 'process'], type: ['start'], outcome: 'failure', reason: '3 incorrect password attempts' },
    });
    expect(extractSudoMessage('bob : user NOT in sudoers ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/ls')).toMatchObject({
      event: { category: ['process'], type: ['denied'], outcome: 'failure', reason: 'user NOT in sudoers' },
    });
  });

  it('hands PAM lines to the PAM extractor and ignores anything else', () => {
    expect(extractSudoMessage('pam_unix(sudo:session): session closed for user root')).toMatchObject({ event: { dataset: 'linux.pam' } });
    expect(extractSudoMessage('unable to resolve host ip-10-77-20-248')).toBeUndefined();
  });
});
