import { parseTaxiiEnvelope, taxiiErrorReason } from './taxii-envelope';
import { taxiiContentTypeProblem } from './taxii-media-type';

describe(parseTaxiiEnvelope.name, () => {
  it('reads more, next and the objects of a page', () => {
    const parsed = parseTaxiiEnvelope(JSON.stringify({ more: true, next: 'p2', objects: [{ type: 'indicator' }] }));
    expect(parsed).toEqual({ ok: true, envelope: { more: true, next: 'p2', objects: [{ type: 'indicator' }] } });
  });

  it('reads the empty envelope of an empty collection as a last page without objects', () => {
    expect(parseTaxiiEnvelope('{}')).toEqual({ ok: true, envelope: { more: false, next: undefined, objects: [] } });
  });

  it('names the property that is wrong', () => {
    expect(parseTaxiiEnvelope('{"more": "yes"}')).toEqual({
      ok: false,
      reason: 'not a TAXII 2.1 envelope: more: Invalid input: expected boolean, received string',
    });
    expect(parseTaxiiEnvelope('{"objects": {}}')).toMatchObject({ ok: false, reason: expect.stringContaining('objects: ') });
  });

  it('refuses a STIX bundle (what a TAXII 2.0 server answers) and text that is not JSON', () => {
    expect(parseTaxiiEnvelope('[1]')).toMatchObject({ ok: false, reason: expect.stringContaining('not a TAXII 2.1 envelope: $') });
    expect(parseTaxiiEnvelope('<html>')).toMatchObject({ ok: false, reason: expect.stringMatching(/^the envelope is not JSON: /) });
  });
});

describe(taxiiErrorReason.name, () => {
  it('says an authentication failure is one, with the TAXII error message', () => {
    const body = JSON.stringify({ title: 'Unauthorized', description: 'bad credentials', http_status: '401' });
    expect(taxiiErrorReason(401, 'Unauthorized', body)).toBe('authentication failed · HTTP 401 Unauthorized · Unauthorized: bad credentials');
  });

  it('gives the status alone when the body is no TAXII error message', () => {
    expect(taxiiErrorReason(502, 'Bad Gateway', '<html>proxy</html>')).toBe('HTTP 502 Bad Gateway');
    expect(taxiiErrorReason(404, '', '')).toBe('not found · HTTP 404');
  });
});

describe(taxiiContentTypeProblem.name, () => {
  it('accepts TAXII 2.1 JSON and plain JSON', () => {
    expect(taxiiContentTypeProblem('application/taxii+json;version=2.1')).toBeUndefined();
    expect(taxiiContentTypeProblem('application/taxii+json; version=2.1; charset=utf-8')).toBeUndefined();
    expect(taxiiContentTypeProblem('application/json')).toBeUndefined();
  });

  it('refuses another TAXII version and other media types', () => {
    expect(taxiiContentTypeProblem('application/taxii+json;version=2.0')).toBe('the server answered TAXII version 2.0; only 2.1 is supported');
    expect(taxiiContentTypeProblem('text/html')).toBe('the server answered text/html, not application/taxii+json;version=2.1');
  });
});
