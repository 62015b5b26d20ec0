import { danishChange, danishDate, danishMonth, danishNumber, danishPercent } from './danish-format';
import { klReportCsv, regionName, type KlReportData } from './kl-report';
import { NATIONAL, type PublishedCell } from './publication';
import { barChart, boxPlotChart, escapeXml, horizontalBarChart } from './svg-charts';

/** Danish names of the default definition's criteria; a criterion of another definition keeps its id. */
const categoryNames: Record<string, string> = {
  failed_authentication: 'Mislykkede logins udefra',
  blocked_connection: 'Blokerede forbindelser udefra',
  indicator_hit: 'Kendte trusselsindikatorer',
  detection: 'Alarmer fra egne sikkerhedsprodukter',
};
export const categoryName = (id: string): string => categoryNames[id] ?? id;

type Published = Extract<PublishedCell, { suppressed: false }>;
const published = (cell: PublishedCell | undefined): Published | undefined => (cell && !cell.suppressed ? cell : undefined);

/** The publication rules' reasons in Danish (the API keeps them in English). */
export function danishReason(reason: string): string {
  const notFinal = /^not final before (\d{4}-\d{2}-\d{2})$/.exec(reason);
  if (notFinal) return `ikke endelig før ${danishDate(notFinal[1])}`;
  const small = /^fewer than (\d+) municipalities/.exec(reason);
  if (small) return `færre end ${small[1]} kommuner, eller tilbageholdt for at beskytte en sådan celle`;
  if (reason === 'a day of this cell is withheld') return 'en dag i perioden er tilbageholdt';
  return reason;
}

const withheldText = (cell: PublishedCell) => (cell.suppressed ? `tilbageholdt (${escapeXml(danishReason(cell.reason))})` : '');

/** One headline figure with its value last month and the change, or why either is withheld. */
function headline(
  label: string,
  current: PublishedCell,
  previous: PublishedCell,
  show: (c: Published) => string,
  change?: (now: Published, before: Published) => string,
): string {
  const now = published(current);
  const before = published(previous);
  const comparison = !now
    ? withheldText(current)
    : before
      ? escapeXml(`Forrige måned: ${show(before)}${change ? ` (${change(now, before)})` : ''}`)
      : `Forrige måned: ${withheldText(previous)}`;
  return `<div class="figure"><div class="label">${escapeXml(label)}</div><div class="value">${now ? escapeXml(show(now)) : '–'}</div><div class="note">${comparison}</div></div>`;
}

const points = (n: number) => `${danishChange(n * 100)} procentpoint`;

/**
 * The KL report as one self-contained HTML document (inline CSS and SVG, the CSV as a data: link),
 * in Danish, printable to A4 by Chromium. Pure: the published cells in, a string out.
 */
export function renderKlReportHtml(data: KlReportData): string {
  const { current, previous, threshold } = data;
  const monthName = danishMonth(data.month);
  const now = published(current);
  const dayLabel = (day: string) => String(Number(day.slice(8)));
  const figures = [
    headline(
      'Kommuner der har rapporteret',
      current,
      previous,
      (c) => danishNumber(c.municipalities),
      (a, b) => danishChange(a.municipalities - b.municipalities, 0),
    ),
    headline(
      'Median, angrebsforsøg pr. kommune pr. dag',
      current,
      previous,
      (c) => danishNumber(c.distribution.median),
      (a, b) => danishChange(a.distribution.median - b.distribution.median),
    ),
    headline(
      'Kvartiler (Q1–Q3), angrebsforsøg pr. kommune pr. dag',
      current,
      previous,
      (c) => `${danishNumber(c.distribution.q1)}–${danishNumber(c.distribution.q3)}`,
    ),
    headline(
      `Andel kommunedage med over ${threshold} forsøg`,
      current,
      previous,
      (c) => danishPercent(c.share_above_threshold),
      (a, b) => points(a.share_above_threshold - b.share_above_threshold),
    ),
    headline(
      `Andel kommuner med over ${threshold} forsøg i gennemsnit pr. dag`,
      current,
      previous,
      (c) => danishPercent(c.share_municipalities_mean_above_threshold),
      (a, b) => points(a.share_municipalities_mean_above_threshold - b.share_municipalities_mean_above_threshold),
    ),
    headline(
      'Angrebsforsøg i alt',
      current,
      previous,
      (c) => danishNumber(c.attempts, 0),
      (a, b) => danishChange(a.attempts - b.attempts, 0),
    ),
  ];

  const dailyShare = barChart(
    data.days.map((cell) => ({ label: dayLabel(cell.bucket), value: published(cell)?.share_above_threshold ?? null })),
    {
      title: `Andel kommuner med over ${threshold} angrebsforsøg, pr. dag`,
      format: (n) => danishPercent(n, 0),
      reference: now ? { value: now.share_above_threshold, label: `måneden: ${danishPercent(now.share_above_threshold)}` } : undefined,
    },
  );
  const distribution = boxPlotChart(
    [
      ...data.days.map((cell) => ({ label: dayLabel(cell.bucket), distribution: published(cell)?.distribution ?? null })),
      { label: 'md.', distribution: now?.distribution ?? null },
    ],
    { title: 'Fordeling af angrebsforsøg pr. kommune pr. dag (min, Q1, median, Q3, maks), logaritmisk akse' },
  );
  const regionBars = (value: (c: Published) => number) =>
    data.regions
      .filter((c) => c.group !== NATIONAL)
      .map((cell) => ({ label: regionName(cell.group), value: published(cell) ? value(published(cell) as Published) : null }));
  const regionMedian = horizontalBarChart(
    regionBars((c) => c.distribution.median),
    { title: 'Median pr. kommune pr. dag, pr. region', format: (n) => danishNumber(n) },
  );
  const regionShare = horizontalBarChart(
    regionBars((c) => c.share_above_threshold),
    {
      title: `Andel kommunedage over ${threshold}, pr. region`,
      format: (n) => danishPercent(n),
      max: 1,
    },
  );
  const categories = horizontalBarChart(
    data.categories.map((id) => ({ label: categoryName(id), value: now ? (now.by_category[id] ?? 0) : null })),
    { title: 'Angrebsforsøg pr. kategori', format: (n) => danishNumber(n, 0), labelWidth: 250 },
  );
  const csv = klReportCsv(data);
  const csvLink = `data:text/csv;charset=utf-8;base64,${Buffer.from(csv, 'utf8').toString('base64')}`;
  const regionRows = data.regions
    .map((cell) => {
      const c = published(cell);
      if (!c) return `<tr><td>${escapeXml(regionName(cell.group))}</td><td colspan="6" class="withheld">${withheldText(cell)}</td></tr>`;
      const d = c.distribution;
      return `<tr><td>${escapeXml(regionName(c.group))}</td><td>${danishNumber(c.municipalities)}</td><td>${danishNumber(c.attempts, 0)}</td><td>${danishNumber(d.q1)}</td><td>${danishNumber(d.median)}</td><td>${danishNumber(d.q3)}</td><td>${danishPercent(c.share_above_threshold)}</td></tr>`;
    })
    .join('');
  const withheldDays = data.days.filter((c) => c.suppressed).length;

  return `<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<title>Angrebsforsøg mod kommunerne, ${escapeXml(monthName)}</title>
<style>
@page { size: A4; margin: 14mm 14mm 16mm; }
body { font-family: Helvetica, Arial, sans-serif; color: #1b1f23; font-size: 10.5pt; line-height: 1.4; max-width: 182mm; margin: 0 auto; }
h1 { font-size: 18pt; margin: 0 0 2pt; color: #1f3a5f; }
h2 { font-size: 12.5pt; margin: 16pt 0 6pt; color: #1f3a5f; border-bottom: 1px solid #d0d7de; padding-bottom: 2pt; }
.sub { color: #57606a; margin: 0 0 10pt; }
.figures { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8pt; }
.figure { border: 1px solid #d0d7de; border-radius: 4pt; padding: 6pt 8pt; break-inside: avoid; }
.figure .label { font-size: 8.5pt; color: #57606a; }
.figure .value { font-size: 17pt; font-weight: bold; color: #1f3a5f; }
.figure .note { font-size: 8.5pt; color: #57606a; }
figure { margin: 6pt 0 10pt; break-inside: avoid; }
figcaption { font-size: 9pt; color: #57606a; }
svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; break-inside: avoid; }
th, td { border-bottom: 1px solid #e3e7eb; padding: 2pt 4pt; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.withheld { text-align: left; color: #57606a; }
.method { font-size: 9.5pt; }
</style>
</head>
<body>
<header>
<h1>Angrebsforsøg mod kommunerne</h1>
<p class="sub">KL · ${escapeXml(monthName)} · udarbejdet ${escapeXml(danishDate(data.madeOn))} · sammenlignet med ${escapeXml(danishMonth(data.previousMonth))}</p>
</header>
<section>
<h2>Hovedtal</h2>
<div class="figures">${figures.join('')}</div>
</section>
<section>
<h2>Andel kommuner over tærsklen, dag for dag</h2>
<figure>${dailyShare}<figcaption>Hver søjle er andelen af de rapporterende kommuner med mere end ${threshold} angrebsforsøg den dag; den stiplede linje er månedens andel af kommunedage. Aksen går fra 0 til dagenes højeste andel.${withheldDays ? ` ${withheldDays} ${withheldDays === 1 ? 'dag er' : 'dage er'} tilbageholdt (tom ramme).` : ''}</figcaption></figure>
</section>
<section>
<h2>Fordeling</h2>
<figure>${distribution}<figcaption>Angrebsforsøg pr. kommune pr. dag: kassen går fra første til tredje kvartil, stregen i den er medianen, linjen fra mindste til største værdi. Sidste kasse er hele måneden.</figcaption></figure>
</section>
<section>
<h2>Regioner</h2>
<figure>${regionMedian}<figcaption>Median af angrebsforsøg pr. kommune pr. dag i hver region.</figcaption></figure>
<figure>${regionShare}<figcaption>Andel af regionens kommunedage med mere end ${threshold} angrebsforsøg.</figcaption></figure>
<table><thead><tr><th>Region</th><th>Kommuner</th><th>Forsøg i alt</th><th>Q1</th><th>Median</th><th>Q3</th><th>Over ${threshold}</th></tr></thead><tbody>${regionRows}</tbody></table>
</section>
<section>
<h2>Kategorier</h2>
<figure>${categories}<figcaption>Et forsøg, der opfylder flere kriterier, tælles én gang, under det første.</figcaption></figure>
</section>
<section class="method">
<h2>Metode</h2>
<p><strong>Hvad er et angrebsforsøg?</strong> En hændelse, som en kommune har sendt til SOC'en, og som opfylder mindst ét kriterium: et mislykket login eller en blokeret forbindelse fra en adresse uden for kommunens egne netværk, et match på en kendt trusselsindikator, eller en alarm fra kommunens egne sikkerhedsprodukter. Hver hændelse tælles én gang. Dage er kalenderdage i dansk tid.</p>
<p><strong>Hvem tæller med?</strong> En kommune indgår en dag, hvis den har sendt hændelser den dag; en kommune uden forsøg tæller som 0, en kommune der intet har sendt, udelades. Kvartiler og median er beregnet som i Excels KVARTIL.MEDTAG. "Over tærsklen" betyder strengt mere end ${threshold} forsøg på en dag.</p>
<p><strong>Hvordan beskyttes små tal?</strong> Tal offentliggøres kun for faste celler (dag, uge, måned, år × hele landet og de fem regioner) med mindst ${data.minMunicipalities} kommuner. En region med færre tilbageholdes sammen med så mange andre regioner, at forskellen til landstallet dækker mindst ${data.minMunicipalities} kommuner; en måned med en tilbageholdt dag tilbageholdes; og en celle offentliggøres først ${data.finalAfterDays} dage efter dens sidste dag, når der ikke længere kan komme hændelser til. Rapporten viser kun tal, som statistik-API'et også offentliggør, og ingen kommune nævnes ved navn.</p>
</section>
<section>
<h2>Data</h2>
<p>Alle tal i rapporten som CSV (samme kolonner som statistik-API'et, med en første kolonne <code>table</code>): <a download="kl-rapport-${escapeXml(data.month)}.csv" href="${csvLink}">kl-rapport-${escapeXml(data.month)}.csv</a>.</p>
</section>
</body>
</html>
`;
}
