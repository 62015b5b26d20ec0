import { refang } from './refang';

describe('refang', () => {
  it.each([
    ['hxxp://evil.example/x', 'http://evil.example/x'],
    ['hxxps://evil.example/x', 'https://evil.example/x'],
    ['hXXps://evil.example', 'https://evil.example'],
    ['HXXP://evil.example', 'http://evil.example'],
    ['h**p://evil.example', 'http://evil.example'],
    ['h__ps://evil.example', 'https://evil.example'],
    ['hxtp://evil.example', 'http://evil.example'],
    ['fxp://files.evil.example/a.bin', 'ftp://files.evil.example/a.bin'],
    ['hxxp[:]//evil.example', 'http://evil.example'],
    ['hxxps[://]evil.example', 'https://evil.example'],
    ['http[:]//evil.example', 'http://evil.example'],
    ['http:[/]/evil.example', 'http://evil.example'],
    ['example[.]com', 'example.com'],
    ['example(.)com', 'example.com'],
    ['example{.}com', 'example.com'],
    ['example[dot]com', 'example.com'],
    ['example(DOT)com', 'example.com'],
    ['example [.] com', 'example.com'],
    ['example [dot] com', 'example.com'],
    ['example\\.com', 'example.com'],
    ['1.2.3[.]4', '1.2.3.4'],
    ['1[.]2[.]3[.]4[:]8080', '1.2.3.4:8080'],
    ['phish[@]evil[.]example', 'phish@evil.example'],
    ['phish[at]evil[.]example', 'phish@evil.example'],
    ['hxxp://evil[.]example/payload[.]exe', 'http://evil.example/payload.exe'],
  ])('refangs %s as %s', (input, expected) => {
    expect(refang(input)).toBe(expected);
  });

  it.each(['http://evil.example/x', 'https://[2001:db8::1]:8443/x', '[::1]', '[::]:80', '2001:db8::1', 'hexp://not-a-defanged-scheme', 'evil.example'])(
    'leaves %s unchanged',
    (input) => {
      expect(refang(input)).toBe(input);
    },
  );
});
