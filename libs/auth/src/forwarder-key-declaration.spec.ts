import { forwarderSchema } from '@soc/members';
import { forwarderKeyDeclarationSchema } from './forwarder-key-declaration';

function problems(input: unknown): Array<{ path: string; message: string }> {
  const parsed = forwarderKeyDeclarationSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('forwarderKeyDeclarationSchema', () => {
  it('takes a format, a dataset and a zone, each optional', () => {
    expect(forwarderKeyDeclarationSchema.parse({})).toEqual({});
    expect(forwarderKeyDeclarationSchema.parse({ format: 'nginx-access', dataset: 'nginx.access', time_zone: 'America/New_York' })).toEqual({
      format: 'nginx-access',
      dataset: 'nginx.access',
      time_zone: 'America/New_York',
    });
  });

  it.each([['Nginx.Access'], ['nginx'], ['nginx.'], ['nginx access'], ['']])('refuses the dataset %j, naming the field and the expected form', (dataset) => {
    expect(problems({ dataset })).toEqual([{ path: 'dataset', message: 'must be <module>.<dataset> in lower case, such as fortinet.firewall' }]);
  });

  it.each([['Mars/Olympus_Mons'], [''], ['Europe/Copenhagn']])('refuses the time_zone %j, naming the field', (zone) => {
    expect(problems({ time_zone: zone })).toEqual([{ path: 'time_zone', message: 'must be an IANA time zone such as Europe/Copenhagen or UTC' }]);
  });

  it('refuses an unknown format naming the formats, and every bad field at once', () => {
    expect(problems({ format: 'evtx-xml', dataset: 'X', time_zone: 'Nowhere' }).map((problem) => problem.path)).toEqual(['format', 'dataset', 'time_zone']);
    expect(problems({ format: 'evtx-xml' })[0].message).toBe('must be one of auto, ecs, windows-json, syslog, sshd, apache-access, nginx-access');
  });

  it('refuses a field it does not know', () => {
    expect(problems({ zone: 'UTC' })).toEqual([expect.objectContaining({ message: expect.stringContaining('zone') })]);
  });

  it("accepts and refuses exactly what a syslog sender's dataset and time_zone in the members file do", () => {
    const values = [
      { dataset: 'fortinet.firewall' },
      { dataset: 'apache.access.v2' },
      { dataset: 'Fortinet.Firewall' },
      { dataset: 'fortinet' },
      { time_zone: 'UTC' },
      { time_zone: 'Europe/Copenhagen' },
      { time_zone: 'Mars/Olympus_Mons' },
    ];
    for (const value of values) {
      const asKey = forwarderKeyDeclarationSchema.safeParse(value).success;
      const asSender = forwarderSchema.safeParse({ address: '192.0.2.1/32', ...value }).success;
      expect([value, asKey]).toEqual([value, asSender]);
    }
  });
});
