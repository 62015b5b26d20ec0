import { urlFieldsFromTarget, withDecodedUrl } from './url-fields';

describe(urlFieldsFromTarget.name, () => {
  it('splits path, query and fragment, keeps percent-encoding and adds the decoded target', () => {
    expect(urlFieldsFromTarget('/a/%2e%2e/b?q=%3Cscript%3E&x=1#top')).toEqual({
      original: '/a/%2e%2e/b?q=%3Cscript%3E&x=1#top',
      decoded: '/a/../b?q=<script>&x=1#top',
      path: '/a/%2e%2e/b',
      query: 'q=%3Cscript%3E&x=1',
      fragment: 'top',
    });
  });

  it('reads scheme and domain of an absolute URL (proxy requests)', () => {
    expect(urlFieldsFromTarget('http://user@example.com:8080/x?y')).toEqual({
      original: 'http://user@example.com:8080/x?y',
      decoded: 'http://user@example.com:8080/x?y',
      scheme: 'http',
      domain: 'example.com',
      path: '/x',
      query: 'y',
    });
  });

  it('keeps anything else only as the original (CONNECT targets, garbage)', () => {
    expect(urlFieldsFromTarget('123.123.123.123:443')).toEqual({ original: '123.123.123.123:443', decoded: '123.123.123.123:443' });
  });
});

describe(withDecodedUrl.name, () => {
  it('adds url.decoded to an event a forwarder mapped itself', () => {
    expect(withDecodedUrl({ url: { original: '/x?f=..%252fetc' } })).toEqual({ url: { original: '/x?f=..%252fetc', decoded: '/x?f=../etc' } });
  });

  it('keeps a decoded target that is already there, and events without a URL', () => {
    expect(withDecodedUrl({ url: { original: '/%41', decoded: 'mine' } })).toEqual({ url: { original: '/%41', decoded: 'mine' } });
    expect(withDecodedUrl({ message: 'x' })).toEqual({ message: 'x' });
  });
});
