import { isSameOriginRequest, isUnsafeMethod } from './same-origin';

const consoleOrigin = 'http://127.0.0.1:4103';

describe('isSameOriginRequest', () => {
  it("accepts what the browser marks same-origin (also a form whose Origin is null under the page's referrer policy), or else the console's own Origin", () => {
    expect(isSameOriginRequest({ 'sec-fetch-site': 'same-origin' }, consoleOrigin)).toBe(true);
    expect(isSameOriginRequest({ 'sec-fetch-site': 'same-origin', origin: 'null' }, consoleOrigin)).toBe(true);
    expect(isSameOriginRequest({ origin: consoleOrigin }, consoleOrigin)).toBe(true);
  });

  it('refuses another origin, another port of the same host, a null origin, and a request saying nothing', () => {
    expect(isSameOriginRequest({ origin: 'https://evil.example' }, consoleOrigin)).toBe(false);
    expect(isSameOriginRequest({ origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-site' }, consoleOrigin)).toBe(false);
    expect(isSameOriginRequest({ origin: 'null' }, consoleOrigin)).toBe(false);
    expect(isSameOriginRequest({ 'sec-fetch-site': 'same-site' }, consoleOrigin)).toBe(false);
    expect(isSameOriginRequest({ 'sec-fetch-site': 'cross-site', origin: consoleOrigin }, consoleOrigin)).toBe(false);
    expect(isSameOriginRequest({}, consoleOrigin)).toBe(false);
  });
});

describe('isUnsafeMethod', () => {
  it('treats everything but GET, HEAD and OPTIONS as a change', () => {
    expect(['GET', 'head', 'OPTIONS'].map(isUnsafeMethod)).toEqual([false, false, false]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(isUnsafeMethod)).toEqual([true, true, true, true]);
  });
});
