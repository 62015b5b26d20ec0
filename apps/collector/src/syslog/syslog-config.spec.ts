import { Logger } from '@nestjs/common';
import { ConfigError, parseConfig } from '@soc/config';
import { StreamSyslogInput } from './stream-syslog.input';
import type { SyslogInputContext } from './syslog-input.context';

describe('syslog settings', () => {
  it('opens no syslog input unless asked', () => {
    expect(parseConfig({}).syslog).toMatchObject({ inputs: [], ports: { tcp: 5514, udp: 5514, tls: 6514 }, maxMessageBytes: 65536 });
  });

  it('reads the inputs as a comma list', () => {
    expect(parseConfig({ SYSLOG_INPUTS: 'tcp, tls' }).syslog.inputs).toEqual(['tcp', 'tls']);
  });

  it('rejects an unknown input by name', () => {
    expect(() => parseConfig({ SYSLOG_INPUTS: 'tcp,relp' })).toThrow(ConfigError);
    expect(() => parseConfig({ SYSLOG_INPUTS: 'tcp,relp' })).toThrow(/SYSLOG_INPUTS\.1: Invalid option: expected one of "tcp"\|"udp"\|"tls"/);
  });

  it('refuses a TLS input without a certificate and key', () => {
    expect(() => new StreamSyslogInput('syslog_tls', { logger: new Logger('test') } as SyslogInputContext, {})).toThrow(
      'the TLS syslog input needs SYSLOG_TLS_CERT_FILE and SYSLOG_TLS_KEY_FILE',
    );
  });
});
