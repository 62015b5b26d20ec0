import { IndicatorIndex } from '@soc/indicators';
import { IndicatorHit, indicatorFields, matchEventIndicators } from './indicator-matcher';
import { event, indicator } from './testing/fixtures';

describe(matchEventIndicators.name, () => {
  it('looks up every documented field', () => {
    const index = new IndicatorIndex();
    index.add(indicator({ id: 'ip', type: 'ipv4', value: '198.51.100.1' }));
    index.add(indicator({ id: 'dom', type: 'domain', value: 'evil.example' }));
    index.add(indicator({ id: 'url', type: 'url', value: 'https://evil.example/a' }));
    index.add(indicator({ id: 'md5', type: 'md5', value: '1'.repeat(32) }));
    index.add(indicator({ id: 'sha1', type: 'sha1', value: '2'.repeat(40) }));
    index.add(indicator({ id: 'sha256', type: 'sha256', value: '3'.repeat(64) }));
    index.add(indicator({ id: 'mail', type: 'email', value: 'x@evil.example' }));
    const e = event('0101', '2026-01-05T10:00:00Z', {
      source: { ip: '198.51.100.1', domain: 'a.evil.example' },
      destination: { ip: '198.51.100.1', domain: 'b.evil.example' },
      url: { original: 'https://evil.example/a', full: 'https://evil.example/a', domain: 'evil.example' },
      dns: { question: { name: 'c.evil.example' } },
      file: { hash: { md5: '1'.repeat(32), sha1: '2'.repeat(40), sha256: '3'.repeat(64) } },
      email: { from: { address: 'x@evil.example' }, sender: { address: ['x@evil.example'] }, reply_to: { address: 'x@evil.example' } },
    });
    const hits: IndicatorHit[] = [];
    matchEventIndicators(index, e, Date.parse('2026-01-05T10:00:00Z'), hits);
    expect([...new Set(hits.map((h) => h.field))].sort()).toEqual(indicatorFields.map((f) => f.field).sort());
  });
});
