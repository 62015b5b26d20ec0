import { PortRejection, splitHostPort } from './host-port';

describe('splitHostPort', () => {
  it.each([
    ['192.0.2.1:8080', { host: '192.0.2.1', port: 8080 }],
    ['192.0.2.1:0', { host: '192.0.2.1', port: 0 }],
    ['192.0.2.1', { host: '192.0.2.1' }],
    ['[2001:db8::1]:443', { host: '2001:db8::1', port: 443 }],
    ['[2001:db8::1]', { host: '2001:db8::1' }],
    ['2001:db8::1:80', { host: '2001:db8::1:80' }],
    ['evil.example:8443', { host: 'evil.example', port: 8443 }],
  ])('reads %s', (input, expected) => {
    expect(splitHostPort(input)).toEqual(expected);
  });

  it.each([
    ['192.0.2.1:65536', "the port 65536 in '192.0.2.1:65536' is above 65535"],
    ['192.0.2.1:http', "the port 'http' in '192.0.2.1:http' is not a number"],
    ['192.0.2.1:', "the port '' in '192.0.2.1:' is not a number"],
    ['[2001:db8::1', "'[2001:db8::1' has no closing ']'"],
    ['[2001:db8::1]443', "'[2001:db8::1]443' has '443' after ']' where ':<port>' belongs"],
  ])('refuses %s', (input, reason) => {
    const result = splitHostPort(input);
    expect(result).toBeInstanceOf(PortRejection);
    expect((result as PortRejection).reason).toBe(reason);
  });
});
