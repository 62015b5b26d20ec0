import { MemberDirectory } from '@soc/members';
import { claimAt, oidcPrincipalFrom, type OidcClaimNames } from './oidc-principal';
import { InvalidTokenError } from './token-policy';

const keycloak: OidcClaimNames = { roles: 'realm_access.roles', memberId: 'member_id', name: 'name' };
const members = MemberDirectory.withDefaults();

function principal(claims: Record<string, unknown>, names: OidcClaimNames = keycloak) {
  return oidcPrincipalFrom({ sub: 'u1', ...claims }, names, members);
}

describe(oidcPrincipalFrom.name, () => {
  it('gives the role that grants most when a token holds several SOC roles', () => {
    expect(principal({ realm_access: { roles: ['soc_analyst', 'soc_admin'] } }).role).toBe('soc_admin');
    expect(principal({ realm_access: { roles: ['kl_reporter', 'soc_analyst'] } }).role).toBe('soc_analyst');
    expect(principal({ realm_access: { roles: ['kl_reporter', 'uma_authorization'] } }).role).toBe('kl_reporter');
  });

  it('ignores a member claim on a SOC principal: only a member is scoped by it', () => {
    expect(principal({ realm_access: { roles: ['soc_analyst'] }, member_id: '0751' })).toEqual({ sub: 'u1', role: 'soc_analyst' });
  });

  it('reads other providers’ claim layouts: top-level roles, a nested member id held in a one-element array', () => {
    const entra: OidcClaimNames = { roles: 'roles', memberId: 'org.member', name: 'display_name' };
    expect(principal({ roles: ['member'], org: { member: ['0461'] }, display_name: 'Ole Olsen' }, entra)).toEqual({
      sub: 'u1',
      role: 'member',
      member_id: '0461',
      name: 'Ole Olsen',
    });
  });

  it('refuses a member claim holding several members', () => {
    expect(() => principal({ realm_access: { roles: ['member'] }, member_id: ['0751', '0461'] })).toThrow(
      new InvalidTokenError('invalid token: the member claim member_id must be one non-empty string (a member acts for exactly one member)'),
    );
  });

  it('refuses a roles claim that is not an array of strings', () => {
    expect(() => principal({ realm_access: { roles: 'soc_admin' } })).toThrow('invalid token: the roles claim realm_access.roles must be an array of strings');
  });

  it('refuses a token without sub', () => {
    expect(() => oidcPrincipalFrom({ realm_access: { roles: ['soc_admin'] } }, keycloak, members)).toThrow(
      'invalid token: sub is required (who the caller is)',
    );
  });

  it('names the principal by the name claim, else preferred_username, else not at all', () => {
    const roles = { realm_access: { roles: ['soc_admin'] } };
    expect(principal({ ...roles, name: ' Bo Berg ', preferred_username: 'bo' }).name).toBe('Bo Berg');
    expect(principal({ ...roles, name: '', preferred_username: 'bo' }).name).toBe('bo');
    expect(principal(roles)).toEqual({ sub: 'u1', role: 'soc_admin' });
  });
});

describe(claimAt.name, () => {
  it('follows a dotted path through objects only', () => {
    expect(claimAt({ a: { b: { c: 1 } } }, 'a.b.c')).toBe(1);
    expect(claimAt({ a: [{ b: 1 }] }, 'a.0.b')).toBeUndefined();
    expect(claimAt({ a: 'x' }, 'a.b')).toBeUndefined();
  });
});
