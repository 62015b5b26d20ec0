import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMembersFile } from './members-file';
import { MemberDirectory } from './member-directory';
import { memberSchema, membersFileSchema } from './member.schema';

/** Every problem of a members file, as `loadMembersFile` reports them: `path: message`. */
function problemsOf(document: unknown): string[] {
  const result = membersFileSchema.safeParse(document);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('member time zone and forwarders', () => {
  it('takes an IANA time zone per member and per sender', () => {
    const member = memberSchema.parse({
      id: '0751',
      kind: 'municipality',
      name: 'Aarhus Kommune',
      time_zone: 'America/New_York',
      forwarders: [{ address: '10.75.0.0/16', format: 'apache-access', dataset: 'apache.access', time_zone: 'UTC' }, { certificate: 'log01.aarhus.dk' }],
    });
    expect(member.time_zone).toBe('America/New_York');
    expect(member.forwarders).toEqual([
      { address: '10.75.0.0/16', format: 'apache-access', dataset: 'apache.access', time_zone: 'UTC' },
      { certificate: 'log01.aarhus.dk', format: 'auto' },
    ]);
  });

  it('keeps files without the new settings valid: no zone (the collector default) and no forwarders', () => {
    const member = MemberDirectory.withDefaults({ members: [{ id: '0751', forwarder_addresses: ['192.0.2.10/32'] }] as never }).get('0751');
    expect(member).toMatchObject({ forwarder_addresses: ['192.0.2.10/32'], forwarders: [] });
    expect(member?.time_zone).toBeUndefined();
  });

  it('names each bad field with its path and why', () => {
    expect(
      problemsOf({
        members: [
          {
            id: '0751',
            time_zone: 'Mars/Olympus_Mons',
            forwarders: [
              { address: '10.0.0.0/33', format: 'ecs' },
              { format: 'sshd' },
              { address: '10.0.0.0/8', certificate: 'log01', dataset: 'Fortinet Firewall' },
              { address: '10.1.0.0/16', adress: '10.2.0.0/16', format: 'cisco', time_zone: '' },
            ],
          },
        ],
      }),
    ).toEqual([
      'members.0.forwarders.0.address: must be a CIDR such as 192.0.2.0/24 or 2001:db8::/32',
      'members.0.forwarders.0.format: ecs is a format of JSON records over HTTP; a syslog sender sends lines: one of auto, syslog, sshd, apache-access, nginx-access',
      'members.0.forwarders.1: give exactly one of address (a CIDR) and certificate (a CN or fingerprint)',
      'members.0.forwarders.2.dataset: must be <module>.<dataset> in lower case, such as fortinet.firewall',
      'members.0.forwarders.2: give exactly one of address (a CIDR) and certificate (a CN or fingerprint)',
      'members.0.forwarders.3.format: must be one of auto, syslog, sshd, apache-access, nginx-access',
      'members.0.forwarders.3.time_zone: must be an IANA time zone such as Europe/Copenhagen or UTC',
      'members.0.forwarders.3: Unrecognized key: "adress"',
      'members.0.time_zone: must be an IANA time zone such as Europe/Copenhagen or UTC',
    ]);
  });

  it('reports them from the file with its name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'members-'));
    try {
      const path = join(dir, 'members.yaml');
      writeFileSync(path, 'members:\n  - id: "0751"\n    forwarders:\n      - address: 10.1.2.0/24\n        format: windows-json\n');
      expect(() => loadMembersFile(path)).toThrow(
        `${path}: invalid members file\n  - members.0.forwarders.0.format: windows-json is a format of JSON records over HTTP`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
