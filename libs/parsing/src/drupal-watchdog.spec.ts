import { extractDrupalWatchdog, looksLikeDrupalWatchdog } from './drupal-watchdog';

// Real messages from fail2ban's drupal-auth test log (../shared/data/fail2ban-test-logs/logs/drupal-auth).
const failedFor =
  'https://example.com/subdir|1430068525|user|1.2.3.4|https://example.com/subdir/user|https://example.com/subdir/user|0||Login attempt failed for drupaladmin.';
const failedFromName =
  'https://www.example.com|1613058599|user|192.0.2.7|https://www.example.com/en/user/login|https://www.example.com/en/user/login|0||Login attempt failed from Jack Sparrow.';
const failedFromAddress =
  'https://example.com|1613063581|user|192.0.2.4|https://example.com/user/login?test=%7C&test2=%7C|https://example.com/user/login?test=|&test2=||0||Login attempt failed from 192.0.2.4.';
const injected =
  'https://example.com|1613063581|user|192.0.2.5|https://example.com/user/login?test=%7C&test2=%7C...|https://example.com/user/login?test=|&test2=|0||Login attempt failed for tester|2||Session revisited for drupaladmin.';
const sessionOpened = 'https://example.com|1430068748|user|1.2.3.4|https://example.com/user|https://example.com/user|1||Session opened for drupaladmin.';

describe(extractDrupalWatchdog.name, () => {
  it('maps a failed login to a failed authentication from the client address, with the account', () => {
    expect(extractDrupalWatchdog(failedFor)).toEqual({
      '@timestamp': '2015-04-26T17:15:25.000Z',
      event: {
        module: 'drupal',
        dataset: 'linux.drupal',
        kind: 'event',
        category: ['authentication', 'web'],
        type: ['start'],
        outcome: 'failure',
        action: 'drupal_login_failed',
      },
      source: { address: '1.2.3.4', ip: '1.2.3.4' },
      url: {
        original: 'https://example.com/subdir/user',
        decoded: 'https://example.com/subdir/user',
        scheme: 'https',
        domain: 'example.com',
        path: '/subdir/user',
      },
      http: { request: { referrer: 'https://example.com/subdir/user' } },
      drupal: { base_url: 'https://example.com/subdir', type: 'user', uid: 0 },
      message: 'Login attempt failed for drupaladmin.',
      user: { name: 'drupaladmin' },
    });
  });

  it('reads the Drupal 8+ "from" form: a name is the account, the client address is not', () => {
    expect(extractDrupalWatchdog(failedFromName)).toMatchObject({ event: { outcome: 'failure' }, source: { ip: '192.0.2.7' }, user: { name: 'Jack Sparrow' } });
    const fromAddress = extractDrupalWatchdog(failedFromAddress);
    expect(fromAddress).toMatchObject({
      event: { action: 'drupal_login_failed' },
      source: { ip: '192.0.2.4' },
      http: { request: { referrer: 'https://example.com/user/login?test=|&test2=|' } },
    });
    expect(fromAddress?.user).toBeUndefined();
  });

  it('takes the message from the right, so a "Login attempt failed" injected into the referer is not one (fail2ban gh-2742)', () => {
    const fields = extractDrupalWatchdog(injected);
    expect(fields).toMatchObject({ message: 'Session revisited for drupaladmin.', drupal: { uid: 2 }, source: { ip: '192.0.2.5' } });
    expect((fields?.event as { outcome?: string }).outcome).toBeUndefined();
  });

  it('maps an opened session to a successful login', () => {
    expect(extractDrupalWatchdog(sessionOpened)).toMatchObject({
      event: { action: 'drupal_login', type: ['start'], outcome: 'success' },
      user: { name: 'drupaladmin', id: '1' },
    });
  });

  it('refuses messages that are not watchdog records', () => {
    expect(looksLikeDrupalWatchdog('Login attempt failed for drupaladmin.')).toBe(false);
    expect(extractDrupalWatchdog('https://example.com|1430068525|user|not-an-ip|/u|/u|0||Login attempt failed for x.')).toBeUndefined();
    expect(extractDrupalWatchdog('https://example.com|1430068525|user|1.2.3.4|/u|/u|zero||Login attempt failed for x.')).toBeUndefined();
  });
});
