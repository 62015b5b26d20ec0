import { decodeUrlForMatching } from './url-decoding';

describe(decodeUrlForMatching.name, () => {
  it('leaves a target without escapes as it is', () => {
    expect(decodeUrlForMatching('/blog/tags/open-source.html?x=1')).toBe('/blog/tags/open-source.html?x=1');
  });

  it('decodes single escapes in any letter case, multi-byte UTF-8 included', () => {
    expect(decodeUrlForMatching('/a?q=1%20UNION%20select%28%29&n=%C3%A6bler')).toBe('/a?q=1 UNION select()&n=æbler');
    expect(decodeUrlForMatching('/x?f=%2fetc%2Fpasswd')).toBe('/x?f=/etc/passwd');
  });

  it('decodes double and triple encoding', () => {
    expect(decodeUrlForMatching('/d?file=..%252f..%252fetc%252fpasswd')).toBe('/d?file=../../etc/passwd');
    expect(decodeUrlForMatching('/d?file=%25252e%25252e%25252f')).toBe('/d?file=../');
  });

  it('stops after three rounds', () => {
    expect(decodeUrlForMatching('/%2525252e')).toBe('/%2e');
  });

  it('reads + as a space in the query only', () => {
    expect(decodeUrlForMatching('/c++/notes?q=union+all+select')).toBe('/c++/notes?q=union all select');
    expect(decodeUrlForMatching('/c++/notes')).toBe('/c++/notes');
  });

  it('decodes IIS %uXXXX escapes', () => {
    expect(decodeUrlForMatching('/x?q=%u003cscript%u003E')).toBe('/x?q=<script>');
    expect(decodeUrlForMatching('/..%u2216..%u2215etc')).toBe('/..\u2216..\u2215etc');
  });

  it('decodes overlong UTF-8 forms to the character they spell', () => {
    expect(decodeUrlForMatching('/..%c0%af..%c0%afetc%c0%afpasswd')).toBe('/../../etc/passwd');
    expect(decodeUrlForMatching('/%e0%80%ae%e0%80%ae%e0%80%af')).toBe('/../');
    expect(decodeUrlForMatching('/..%c1%9c..%c1%9cwindows')).toBe('/..\\..\\windows');
  });

  it('maps fullwidth, small-form and dot-leader characters to ASCII, and nothing else', () => {
    expect(decodeUrlForMatching('/blog/geekery%E2%80%A6')).toBe('/blog/geekery\u2026');
    expect(decodeUrlForMatching('/%e2%80%a5%ef%bc%8f%e2%80%a5%ef%bc%8fetc')).toBe('/../../etc');
    expect(decodeUrlForMatching('/x?q=%EF%BC%9Cscript%EF%BC%9E')).toBe('/x?q=<script>');
    expect(decodeUrlForMatching('/borger/%C3%A6bler-og-%C3%B8l')).toBe('/borger/æbler-og-øl');
  });

  it('reads a byte outside UTF-8 as its Latin-1 character', () => {
    expect(decodeUrlForMatching('/x?q=%E8%F1%EF')).toBe('/x?q=èñï');
    expect(decodeUrlForMatching('/x%fe%c0')).toBe('/xþÀ');
  });

  it('keeps invalid escapes as written', () => {
    expect(decodeUrlForMatching('/x?a=100%&b=%zz&c=%4&d=%u12&e=%')).toBe('/x?a=100%&b=%zz&c=%4&d=%u12&e=%');
    expect(decodeUrlForMatching('/files/logstash-%25')).toBe('/files/logstash-%');
  });

  it('decodes a null byte (a classic extension bypass) to U+0000', () => {
    expect(decodeUrlForMatching('/x?f=../../etc/passwd%00.png')).toBe('/x?f=../../etc/passwd\u0000.png');
  });
});
