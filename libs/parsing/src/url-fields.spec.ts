import { urlFieldsFromTarget } from './url-fields';

describe(urlFieldsFromTarget.name, () => {
  it('splits path, query and fragment and keeps percent-encoding', () => {
    expect(urlFieldsFromTarget('/a/%2e%2e/b?q=%3Cscript%3E&x=1#top')).toEqual({
      original: '/a/%2e%2e/b?q=%3Cscript%3E&x=1#top',
      path: '/a/%2e%2e/b',
      query: 'q=%3Cscript%3E&x=1',
      fragment: 'top',
    });
  });

  it('reads scheme and domain of an absolute URL (proxy requests)', () => {
    expect(urlFieldsFromTarget('http://user@example.com:8080/x?y')).toEqual({
      original: 'http://user@example.com:8080/x?y',
      scheme: 'http',
      domain: 'example.com',
      path: '/x',
      query: 'y',
    });
  });

  it('keeps anything else only as the original (CONNECT targets, garbage)', () => {
    expect(urlFieldsFromTarget('123.123.123.123:443')).toEqual({ original: '123.123.123.123:443' });
  });
});
