import { acceptsEventStream } from './live-alerts.controller';

describe('acceptsEventStream', () => {
  it('accepts what an EventSource sends, also among other types and with parameters', () => {
    expect(acceptsEventStream('text/event-stream')).toBe(true);
    expect(acceptsEventStream('application/json, Text/Event-Stream;q=0.9')).toBe(true);
  });

  it('refuses no Accept, a wildcard and other types: the stream must be asked for', () => {
    expect(acceptsEventStream(undefined)).toBe(false);
    expect(acceptsEventStream('*/*')).toBe(false);
    expect(acceptsEventStream('text/*')).toBe(false);
    expect(acceptsEventStream('application/json')).toBe(false);
  });
});
