import { SignInRefusedError, signedInUserFrom } from './signed-in-user';

const roles = (...names: string[]) => ({ realm_access: { roles: ['offline_access', 'default-roles-soc', ...names] } });

describe('signedInUserFrom', () => {
  it("reads a member's role, member id and name the way the APIs read them", () => {
    expect(signedInUserFrom({ sub: 'u1', name: 'Mads Aarhus', member_id: '0751', ...roles('member') })).toEqual({
      sub: 'u1',
      name: 'Mads Aarhus',
      role: 'member',
      member_id: '0751',
    });
  });

  it('takes the role that grants most, no member id for SOC roles, and falls back to preferred_username for the name', () => {
    expect(signedInUserFrom({ sub: 'u2', preferred_username: 'sofie.admin', ...roles('soc_analyst', 'soc_admin') })).toEqual({
      sub: 'u2',
      name: 'sofie.admin',
      role: 'soc_admin',
      member_id: null,
    });
    expect(signedInUserFrom({ sub: 'u3', ...roles('kl_reporter') }).name).toBe('u3');
  });

  it.each([
    [{ sub: 'u', ...roles() }, 'this account has no role in the SOC (realm_access.roles holds none of soc_admin, soc_analyst, kl_reporter, member)'],
    [{ sub: 'u' }, 'this account has no role in the SOC (realm_access.roles holds none of soc_admin, soc_analyst, kl_reporter, member)'],
    [{ sub: 'u', ...roles('member') }, 'this account has the role member but no member id (member_id)'],
    [
      { sub: 'u', member_id: '0751', ...roles('member', 'soc_analyst') },
      'this account holds member together with soc_analyst; an account acts either for one member or for the SOC',
    ],
    [{ ...roles('soc_analyst') }, 'the provider named no subject (sub) for this sign-in'],
  ])('refuses %j: %s', (claims, message) => {
    expect(() => signedInUserFrom(claims)).toThrow(new SignInRefusedError(message));
  });
});
