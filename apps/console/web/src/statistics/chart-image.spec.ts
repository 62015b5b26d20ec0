import { chartFileName, chartPictureSvg, svgDataUrl, viewBoxSize, wrapWords, xmlEscape } from './chart-image';

const chart = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 244" role="img" aria-label="x"><rect width="720" height="244" fill="#ffffff"/></svg>';

describe('chartPictureSvg', () => {
  it("puts the title above the chart and the note's lines under it, on a white ground sized to hold them", () => {
    const note = 'Tal vises først, når de er endelige (31 dage efter periodens slutning); perioder og regioner med for få kommuner er tilbageholdt.';
    const { svg, width, height } = chartPictureSvg({ chartSvg: chart, title: 'Forsøg pr. region, 2026-10-02', note });
    expect(width).toBe(752);
    const lines = wrapWords(note, Math.floor((720 / 12) * 1.9));
    expect(height).toBe(16 + 16 + 12 + 244 + 8 + lines.length * 16 + 16);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="752" height="\d+" viewBox="0 0 752 \d+"/);
    expect(svg).toContain('>Forsøg pr. region, 2026-10-02</text>');
    // The chart nested at its place, at its own size.
    expect(svg).toContain('<svg x="16" y="44" width="720" height="244" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 244"');
    for (const line of lines) expect(svg).toContain(`>${line}</text>`);
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('escapes the title and note as XML text', () => {
    const { svg } = chartPictureSvg({ chartSvg: chart, title: 'A < B & "C"', note: "it's > 0" });
    expect(svg).toContain('>A &lt; B &amp; &quot;C&quot;</text>');
    expect(svg).toContain('>it&apos;s &gt; 0</text>');
    expect(xmlEscape('<&>')).toBe('&lt;&amp;&gt;');
  });

  it('refuses a chart without a viewBox, saying so', () => {
    expect(() => viewBoxSize('<svg width="10"></svg>')).toThrow('the chart has no viewBox to size its picture by');
    expect(viewBoxSize(chart)).toEqual({ width: 720, height: 244 });
  });
});

describe('chartPictureSvg with a legend', () => {
  it('draws each legend entry as a swatch and its words under the chart, with the definitions its fills refer to, widening a narrow chart', () => {
    const map = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 500 400"><path d="M0 0" fill="url(#hatch)"/></svg>';
    const { svg, width, height } = chartPictureSvg({
      chartSvg: map,
      title: 'Kort',
      note: 'kort note',
      legend: [
        { fill: '#deebf7', label: '0–2' },
        { fill: 'url(#hatch)', label: 'tilbageholdt' },
      ],
      defs: '<pattern id="hatch"/>',
    });
    expect(width).toBe(632);
    expect(height).toBe(44 + 400 + 8 + 2 * 20 + 16 + 16);
    expect(svg).toContain('<defs><pattern id="hatch"/></defs>');
    expect(svg).toContain('<rect x="16" y="454" width="14" height="14" fill="#deebf7" stroke="#5c5c5c"/>');
    expect(svg).toContain('<rect x="16" y="474" width="14" height="14" fill="url(#hatch)" stroke="#5c5c5c"/>');
    expect(svg).toContain('>tilbageholdt</text>');
  });
});

describe('wrapWords', () => {
  it('fills lines up to the width, a longer word on a line of its own', () => {
    expect(wrapWords('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrapWords('a verylongword b', 4)).toEqual(['a', 'verylongword', 'b']);
    expect(wrapWords('  ', 10)).toEqual([]);
  });
});

describe('svgDataUrl and chartFileName', () => {
  it('encode the SVG as a data: URL and name the file by chart and period', () => {
    expect(svgDataUrl('<svg a="#"/>')).toBe('data:image/svg+xml;charset=utf-8,%3Csvg%20a%3D%22%23%22%2F%3E');
    expect(chartFileName('regions-2026-W40', { from: '2026-09-28', to: '2026-10-04', granularity: 'week' }, 'png')).toBe(
      'regions-2026-W40_2026-09-28_2026-10-04_week.png',
    );
    expect(chartFileName('a b/c', { from: 'x', to: 'y', granularity: 'day' }, 'csv')).toBe('a-b-c_x_y_day.csv');
  });
});
