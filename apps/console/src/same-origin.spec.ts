import { isSameOriginRequest, isUnsafeMethod } from './same-origin';

const consoleOrigin = 'http://127.0.0.1:4103';

describe('isSameOriginRequest', () => {
  it("accepts the console's own origin, or a same-origin fetch that sent no Origin", () => {
    expect(isSameOriginRequest({ origin: consoleOrigin }, consoleOrigin)).toBe(true);
    expect(isSameOriginRequest({ 'sec-fetch-site': 'same-origin' }, consoleOrigin)).toBe(true);
  });

  it('refuses another origin, another port of the same host, a null origin, and a request saying nothing', () => {
    expect(isSameOriginRequest({ origin: 'https://evil.example' }, consoleOrigin)).toBe(false);
    expect(isSameOriginRequest({ origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-site' }, consoleOrigin)).toBe(false);
    expect(isSameOriginRequest({ origin: 'null' }, consoleOrigin)).toBe(false);
    expect(isSameOriginRequest({ 'sec-fetch-site': 'same-site' }, consoleOrigin)).toBe(false);
    expect(isSameOriginRequest({}, consoleOrigin)).toBe(false);
  });
});

describe('isUnsafeMethod', () => {
  it('treats everything but GET, HEAD and OPTIONS as a change', () => {
    expect(['GET', 'head', 'OPTIONS'].map(isUnsafeMethod)).toEqual([false, false, false]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(isUnsafeMethod)).toEqual([true, true, true, true]);
  });
});
