import { parseConfig } from './config';

describe('parseConfig: TAXII feeds', () => {
  it('has no feeds by default, and the request limits of docs/CONFIGURATION.md', () => {
    expect(parseConfig({}).taxii).toEqual({ feedsFile: undefined, requestTimeoutMs: 30_000, maxPagesPerPull: 100, secrets: {} });
  });

  it('collects only the TAXII_SECRET_* variables, so a feeds file can name no other', () => {
    const config = parseConfig({ TAXII_FEEDS_FILE: '/etc/soc/taxii.yml', TAXII_SECRET_CIRCL: 'pw', TAXII_SECRET_EMPTY: '', JWT_SECRET_X: 'no' });
    expect(config.taxii).toMatchObject({ feedsFile: '/etc/soc/taxii.yml', secrets: { TAXII_SECRET_CIRCL: 'pw' } });
  });

  it('names a bad limit', () => {
    expect(() => parseConfig({ TAXII_REQUEST_TIMEOUT_MS: '0', TAXII_MAX_PAGES_PER_PULL: 'many' })).toThrow(
      /TAXII_REQUEST_TIMEOUT_MS: Too small.*\n.*TAXII_MAX_PAGES_PER_PULL: Invalid input: expected number/,
    );
  });
});
