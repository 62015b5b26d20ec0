import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@soc/config';
import { loadTaxiiFeeds } from './taxii-feeds.providers';

const example = join(__dirname, '../../../../deploy/taxii-feeds.example.yml');

describe(loadTaxiiFeeds.name, () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'taxii-feeds-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('has no feeds without TAXII_FEEDS_FILE', () => {
    expect(loadTaxiiFeeds(parseConfig({}))).toEqual([]);
  });

  it('reads the example feeds file of deploy/ once its secrets are set', () => {
    const secrets = { TAXII_SECRET_CIRCL: 'a', TAXII_SECRET_VENDOR_TOKEN: 'b', TAXII_SECRET_ISAC_KEY: 'c' };
    const feeds = loadTaxiiFeeds(parseConfig({ TAXII_FEEDS_FILE: example, ...secrets }));
    expect(feeds.map((f) => [f.id, f.auth.kind, f.intervalMs])).toEqual([
      ['circl-osint', 'basic', 3_600_000],
      ['vendor-c2', 'bearer', 900_000],
      ['sector-isac', 'api_key', 1_800_000],
    ]);
  });

  it('refuses to start without the secrets the file names, listing each with its field', () => {
    expect(() => loadTaxiiFeeds(parseConfig({ TAXII_FEEDS_FILE: example, TAXII_SECRET_CIRCL: 'a' }))).toThrow(
      `${example}: invalid TAXII feeds file\n  - feeds[1].auth.token_env: TAXII_SECRET_VENDOR_TOKEN is not set\n  - feeds[2].auth.key_env: TAXII_SECRET_ISAC_KEY is not set`,
    );
  });

  it('names a feeds file it cannot read', () => {
    const missing = join(dir, 'missing.yml');
    expect(() => loadTaxiiFeeds(parseConfig({ TAXII_FEEDS_FILE: missing }))).toThrow(`TAXII_FEEDS_FILE ${missing}: ENOENT`);
  });

  it('refuses a secret pasted into the file', () => {
    const file = join(dir, 'feeds.yml');
    writeFileSync(
      file,
      'feeds:\n  - {id: x, api_root: "https://t.example/api/", collection_id: c, source: S, interval: 1h, auth: {type: bearer, token: abc, token_env: TAXII_SECRET_X}}\n',
    );
    expect(() => loadTaxiiFeeds(parseConfig({ TAXII_FEEDS_FILE: file, TAXII_SECRET_X: 'abc' }))).toThrow(
      'feeds[0].auth.token: secrets are never written in the feeds file: name an environment variable in token_env',
    );
  });
});
