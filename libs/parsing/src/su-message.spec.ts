import { extractSuMessage } from './su-message';

describe(extractSuMessage.name, () => {
  it('maps successful and failed su with invoker and target account', () => {
    expect(extractSuMessage('Successful su for root by ubuntu')).toEqual({
      event: { module: 'linux', dataset: 'linux.auth', category: ['authentication'], type: ['start'], outcome: 'success', action: 'su' },
      user: { name: 'ubuntu', effective: { name: 'root' } },
    });
    expect(extractSuMessage('FAILED su for root by xavier')).toMatchObject({ event: { outcome: 'failure', type: ['start'] } });
  });

  it('reads the short form as information only, since shadow-utils logs it beside the long one', () => {
    expect(extractSuMessage('- /dev/pts/1 xavier:root')).toMatchObject({
      event: { outcome: 'failure', type: ['info'] },
      user: { name: 'xavier', effective: { name: 'root' } },
    });
    expect(extractSuMessage('pam_unix(su:session): session opened for user root by ubuntu(uid=1000)')).toMatchObject({ event: { dataset: 'linux.pam' } });
    expect(extractSuMessage('something else')).toBeUndefined();
  });
});
