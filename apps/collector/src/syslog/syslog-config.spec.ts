import { Logger } from '@nestjs/common';
import { ConfigError, parseConfig } from '@soc/config';
import { StreamSyslogInput } from './stream-syslog.input';
import type { SyslogInputContext } from './syslog-input.context';

describe('syslog settings', () => {
  it('opens no syslog input unless asked', () => {
    expect(parseConfig({}).syslog).toMatchObject({
      inputs: [],
      ports: { tcp: 5514, udp: 5514, tls: 6514, relp: 2514, relp_tls: 2515 },
      maxMessageBytes: 65536,
    });
  });

  it('reads the inputs as a comma list', () => {
    expect(parseConfig({ SYSLOG_INPUTS: 'tcp, tls' }).syslog.inputs).toEqual(['tcp', 'tls']);
  });

  it('reads the RELP inputs and their ports', () => {
    const syslog = parseConfig({ SYSLOG_INPUTS: 'relp,relp_tls', SYSLOG_RELP_PORT: '20514', SYSLOG_RELP_TLS_PORT: '20515' }).syslog;
    expect(syslog).toMatchObject({ inputs: ['relp', 'relp_tls'], ports: { relp: 20514, relp_tls: 20515 } });
  });

  it('rejects an unknown input by name', () => {
    expect(() => parseConfig({ SYSLOG_INPUTS: 'tcp,sctp' })).toThrow(ConfigError);
    expect(() => parseConfig({ SYSLOG_INPUTS: 'tcp,sctp' })).toThrow(
      /SYSLOG_INPUTS\.1: Invalid option: expected one of "tcp"\|"udp"\|"tls"\|"relp"\|"relp_tls"/,
    );
  });

  it('refuses a TLS input without a certificate and key', () => {
    expect(() => new StreamSyslogInput('syslog_tls', { logger: new Logger('test') } as SyslogInputContext, {})).toThrow(
      'the TLS syslog input needs SYSLOG_TLS_CERT_FILE and SYSLOG_TLS_KEY_FILE',
    );
  });
});
