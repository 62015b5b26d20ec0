import jwt from 'jsonwebtoken';
import { InvalidTokenError, scopeOf, TokenVerifier } from './principal';

const secret = 'a-test-secret-that-is-long-enough-000000';

describe(TokenVerifier.name, () => {
  const verifier = new TokenVerifier(secret);

  it('reads a member principal and scopes it to its own member', () => {
    const principal = verifier.verify(verifier.issue({ sub: 'anna', role: 'member', member_id: '0751' }));
    expect(scopeOf(principal)).toEqual({ kind: 'member', memberId: '0751' });
  });

  it('gives SOC analysts every member', () => {
    const principal = verifier.verify(verifier.issue({ sub: 'soc1', role: 'soc_analyst' }));
    expect(scopeOf(principal)).toEqual({ kind: 'all-members' });
  });

  it('rejects a token signed with another secret', () => {
    const forged = jwt.sign({ sub: 'x', role: 'soc_admin' }, 'another-secret-another-secret-0000');
    expect(() => verifier.verify(forged)).toThrow('invalid token: invalid signature');
  });

  it('rejects a member token without a member id', () => {
    const token = jwt.sign({ sub: 'x', role: 'member' }, secret);
    expect(() => verifier.verify(token)).toThrow(InvalidTokenError);
    expect(() => verifier.verify(token)).toThrow('invalid token claims: member_id:');
  });

  it('rejects an unsigned token', () => {
    const unsigned = jwt.sign({ sub: 'x', role: 'soc_admin' }, '', { algorithm: 'none' } as never);
    expect(() => verifier.verify(unsigned)).toThrow('invalid token:');
  });
});
