import { parseTaxiiFeedsFile, taxiiAuthHeaders } from './taxii-feeds-file';

const secrets = { TAXII_SECRET_CIRCL: 's3cret', TAXII_SECRET_TOKEN: 'tok' };

const yamlFile = `
feeds:
  - id: circl-osint
    api_root: https://taxii.example/api1/
    collection_id: 91a7b528-80eb-42ed-a74d-c6fbd5a26116
    source: CIRCL OSINT
    interval: 15m
    default_tlp: TLP:GREEN
    page_size: 500
    match_types: [indicator, marking-definition]
    initial_added_after: "2026-01-01T00:00:00Z"
    auth: { type: basic, username: soc, password_env: TAXII_SECRET_CIRCL }
  - id: vendor
    api_root: https://vendor.example/taxii2/root
    collection_id: c2
    source: Vendor
    interval: 1h
    max_backoff: 1d
    auth: { type: api_key, header: X-Api-Key, key_env: TAXII_SECRET_TOKEN }
`;

describe(parseTaxiiFeedsFile.name, () => {
  it('reads a YAML feeds file and resolves the credentials from the named variables', () => {
    const parsed = parseTaxiiFeedsFile(yamlFile, secrets);
    expect(parsed).toEqual({
      ok: true,
      feeds: [
        {
          id: 'circl-osint',
          apiRoot: 'https://taxii.example/api1/',
          collectionId: '91a7b528-80eb-42ed-a74d-c6fbd5a26116',
          source: 'CIRCL OSINT',
          intervalMs: 900_000,
          maxBackoffMs: 21_600_000,
          defaultTlp: 'green',
          pageSize: 500,
          matchTypes: ['indicator', 'marking-definition'],
          initialAddedAfter: '2026-01-01T00:00:00Z',
          auth: { kind: 'basic', username: 'soc', password: 's3cret' },
        },
        {
          id: 'vendor',
          apiRoot: 'https://vendor.example/taxii2/root',
          collectionId: 'c2',
          source: 'Vendor',
          intervalMs: 3_600_000,
          maxBackoffMs: 86_400_000,
          auth: { kind: 'api_key', header: 'X-Api-Key', key: 'tok' },
        },
      ],
    });
  });

  it('reads JSON, and a feed without auth is anonymous', () => {
    const json = JSON.stringify({ feeds: [{ id: 'open', api_root: 'http://127.0.0.1:9/api/', collection_id: 'c', source: 'Open', interval: '30s' }] });
    expect(parseTaxiiFeedsFile(json, {})).toMatchObject({ ok: true, feeds: [{ id: 'open', intervalMs: 30_000, auth: { kind: 'none' } }] });
  });

  const problemsOf = (feed: Record<string, unknown>, env: Record<string, string> = secrets): string[] => {
    const base = { id: 'f', api_root: 'https://t.example/api/', collection_id: 'c', source: 'S', interval: '1h' };
    const parsed = parseTaxiiFeedsFile(JSON.stringify({ feeds: [{ ...base, ...feed }] }), env);
    return parsed.ok ? [] : parsed.problems;
  };

  it('refuses a secret written in the file, naming the field and what to do instead', () => {
    expect(problemsOf({ auth: { type: 'basic', username: 'u', password: 'hunter2', password_env: 'TAXII_SECRET_CIRCL' } })).toEqual([
      'feeds[0].auth.password: secrets are never written in the feeds file: name an environment variable in password_env',
    ]);
    expect(problemsOf({ auth: { type: 'bearer', token: 'abc', token_env: 'TAXII_SECRET_TOKEN' } })).toEqual([
      'feeds[0].auth.token: secrets are never written in the feeds file: name an environment variable in token_env',
    ]);
  });

  it('refuses an API root that carries credentials, since the URL is shown in the status and the logs', () => {
    expect(problemsOf({ api_root: 'https://soc:hunter2@t.example/api/' })).toEqual([
      'feeds[0].api_root: must not carry credentials (user:password@): put them in auth',
    ]);
  });

  it('refuses a variable outside TAXII_SECRET_*, and one that is not set', () => {
    expect(problemsOf({ auth: { type: 'bearer', token_env: 'JWT_SECRET' } })).toEqual([
      'feeds[0].auth.token_env: must name an environment variable starting with TAXII_SECRET_ (other variables are never sent to a feed)',
    ]);
    expect(problemsOf({ auth: { type: 'bearer', token_env: 'TAXII_SECRET_MISSING' } })).toEqual(['feeds[0].auth.token_env: TAXII_SECRET_MISSING is not set']);
  });

  it('names each bad field, all at once', () => {
    expect(problemsOf({ id: 'Bad Id', api_root: 'ftp://x', interval: '10 minutes', default_tlp: 'purple', page_size: 0 })).toEqual([
      'feeds[0].id: must be 1-63 lowercase letters, digits, - or _, starting with a letter or digit',
      'feeds[0].api_root: must be an http:// or https:// URL (the API root, e.g. https://taxii.example/api1/)',
      "feeds[0].interval: must be a duration such as '30s', '15m', '1h' or '1d'",
      "feeds[0].default_tlp: 'purple' is no TLP level (clear, green, amber, amber+strict, red)",
      'feeds[0].page_size: Too small: expected number to be >=1',
    ]);
    expect(problemsOf({ collection: 'c' })).toEqual(['feeds[0]: Unrecognized key: "collection"']);
    expect(problemsOf({ source: undefined })).toEqual(['feeds[0].source: Invalid input: expected string, received undefined']);
  });

  it('refuses two feeds with one id', () => {
    const feed = { id: 'same', api_root: 'https://t.example/api/', collection_id: 'c', source: 'S', interval: '1h' };
    expect(parseTaxiiFeedsFile(JSON.stringify({ feeds: [feed, feed] }), {})).toEqual({
      ok: false,
      problems: ["feeds[1].id: 'same' is used by feeds[0] too"],
    });
  });

  it('refuses a document that is no feeds file', () => {
    expect(parseTaxiiFeedsFile('feeds: [', {})).toMatchObject({ ok: false, problems: [expect.stringMatching(/^not YAML or JSON: /)] });
    expect(parseTaxiiFeedsFile('', {})).toEqual({ ok: false, problems: ['feeds: Invalid input: expected array, received undefined'] });
  });
});

describe(taxiiAuthHeaders.name, () => {
  it('sends basic, bearer and API-key credentials as their headers', () => {
    expect(taxiiAuthHeaders({ kind: 'basic', username: 'soc', password: 'pw' })).toEqual({ authorization: 'Basic c29jOnB3' });
    expect(taxiiAuthHeaders({ kind: 'bearer', token: 't' })).toEqual({ authorization: 'Bearer t' });
    expect(taxiiAuthHeaders({ kind: 'api_key', header: 'X-Api-Key', key: 'k' })).toEqual({ 'x-api-key': 'k' });
    expect(taxiiAuthHeaders({ kind: 'none' })).toEqual({});
  });
});
