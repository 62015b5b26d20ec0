import { nextTaxiiPage, taxiiCollectionUrl, taxiiObjectsUrl } from './taxii-objects-request';

const page = (more: boolean, next?: string) => ({ more, next, objects: [] });

describe(taxiiObjectsUrl.name, () => {
  it('builds the objects URL with added_after, limit, next and match[type]', () => {
    const url = taxiiObjectsUrl('https://taxii.example/api1', 'c-1', {
      addedAfter: '2026-01-01T00:00:00.123456Z',
      limit: 50,
      next: 'a b',
      types: ['indicator', 'identity'],
    });
    expect(url).toBe(
      'https://taxii.example/api1/collections/c-1/objects/?added_after=2026-01-01T00%3A00%3A00.123456Z&limit=50&next=a+b&match%5Btype%5D=indicator%2Cidentity',
    );
  });

  it('keeps one slash after an API root that ends with one, and encodes the collection id', () => {
    expect(taxiiCollectionUrl('https://taxii.example/api1/', 'a/b')).toBe('https://taxii.example/api1/collections/a%2Fb/');
    expect(taxiiObjectsUrl('https://taxii.example/api1/', 'c', {})).toBe('https://taxii.example/api1/collections/c/objects/');
  });
});

describe(nextTaxiiPage.name, () => {
  const first = { addedAfter: '2026-01-01T00:00:00Z', limit: 10 };

  it('stops when the server has no more', () => {
    expect(nextTaxiiPage(first, page(false, 'ignored'), '2026-01-02T00:00:00Z')).toEqual({ done: true });
  });

  it('follows next with the same query when the server gives one', () => {
    expect(nextTaxiiPage(first, page(true, 'p2'), '2026-01-02T00:00:00Z')).toEqual({ done: false, query: { ...first, next: 'p2' } });
  });

  it('moves added_after to X-TAXII-Date-Added-Last when more comes without next', () => {
    expect(nextTaxiiPage({ ...first, next: 'p2' }, page(true), '2026-01-02T00:00:00Z')).toEqual({
      done: false,
      query: { addedAfter: '2026-01-02T00:00:00Z', limit: 10 },
    });
  });

  it('refuses to loop on a server that gives no way on', () => {
    expect(nextTaxiiPage(first, page(true), undefined)).toEqual({
      done: false,
      error: 'the server says more objects follow but sends neither next nor X-TAXII-Date-Added-Last',
    });
    expect(nextTaxiiPage(first, page(true), first.addedAfter)).toEqual({
      done: false,
      error: 'the server says more objects follow but X-TAXII-Date-Added-Last stays at 2026-01-01T00:00:00Z',
    });
    expect(nextTaxiiPage({ ...first, next: 'p2' }, page(true, 'p2'), undefined)).toEqual({
      done: false,
      error: "the server answered the same next 'p2' it was asked for",
    });
  });
});
