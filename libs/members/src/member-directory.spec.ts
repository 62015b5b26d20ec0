import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemberDirectory } from './member-directory';

const sharedMunicipalities: Array<{ code: string; name: string; region_code: string }> = JSON.parse(
  readFileSync(join(__dirname, '../../../../shared/data/municipalities/municipalities.json'), 'utf8'),
);

describe(MemberDirectory.name, () => {
  const directory = MemberDirectory.withDefaults();

  it('knows every municipality of the public list by its kommunekode and region', () => {
    expect(sharedMunicipalities).toHaveLength(98);
    for (const m of sharedMunicipalities) {
      const member = directory.byMunicipalityCode(m.code);
      expect(member).toMatchObject({ id: m.code, kind: 'municipality', name: `${m.name} Kommune`, region_code: m.region_code });
    }
    expect(directory.all().filter((m) => m.kind === 'municipality')).toHaveLength(98);
  });

  it('finds a municipality by the 3-digit Danmarks Statistik code', () => {
    expect(directory.byMunicipalityCode(751)?.name).toBe('Aarhus Kommune');
    expect(directory.byMunicipalityCode('461')?.name).toBe('Odense Kommune');
  });

  it('does not take a region code for a municipality', () => {
    expect(directory.byMunicipalityCode('1084')).toBeUndefined();
    expect(directory.get('1084')?.kind).toBe('region');
  });

  it('adds members and ranges from the members file, most specific range winning', () => {
    const withRanges = MemberDirectory.withDefaults({
      members: [
        { id: '0751', network_ranges: ['10.75.0.0/16'] },
        { id: 'kombit', kind: 'other', name: 'KOMBIT', network_ranges: ['10.75.9.0/24', '2001:db8:75::/48'] },
      ] as never,
    });
    expect(withRanges.ownerOfAddress('10.75.1.2')).toBe('0751');
    expect(withRanges.ownerOfAddress('10.75.9.2')).toBe('kombit');
    expect(withRanges.ownerOfAddress('::ffff:10.75.1.2')).toBe('0751');
    expect(withRanges.ownerOfAddress('2001:db8:75::1')).toBe('kombit');
    expect(withRanges.ownerOfAddress('192.0.2.1')).toBeUndefined();
    expect(withRanges.ownerOfAddress('not-an-ip')).toBeUndefined();
  });

  it('rejects a new member without kind and name', () => {
    expect(() => MemberDirectory.withDefaults({ members: [{ id: 'x' }] as never })).toThrow('members[0] (x): a new member needs kind and name');
  });

  it("gives each member's own correlation lateness in milliseconds, and refuses one that is not positive", () => {
    const directory = MemberDirectory.withDefaults({ members: [{ id: '0751', allowed_lateness_seconds: 3600 }] } as never);
    expect(directory.allowedLateness()).toEqual(new Map([['0751', 3_600_000]]));
    expect(() => MemberDirectory.withDefaults({ members: [{ id: '0751', allowed_lateness_seconds: 0 }] } as never)).toThrow(/allowed_lateness_seconds/);
  });

  it('rejects a range that is not a CIDR', () => {
    expect(() => MemberDirectory.withDefaults({ members: [{ id: '0101', network_ranges: ['10.0.0.0/33'] }] as never })).toThrow('must be a CIDR');
  });
});
