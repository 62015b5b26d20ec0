import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenIssuer, type Principal } from '@soc/auth';
import { municipalities } from '@soc/members';
import { createRedis } from '@soc/redis';
import { danishNumber, danishPercent, type MemberDayCount } from '@soc/statistics';
import { createElasticsearchClient, IndexNames } from '@soc/storage';
import { bulkLoad } from '../../libs/storage/src/testing/bulk-load';
import { daysFrom, memberDayEvents, membersFileOfRanges, municipalityIds } from '../../libs/statistics/src/testing/generated-attempts';
import { AppProcess, isolatedEnv } from './support/stack';
import { removeIndices, removeRedisKeys } from './support/cleanup';
import { elasticsearchUrl } from '../support';

/** The committed example page (docs/statistics/): rewritten when UPDATE_REPORT_EXAMPLE=1. */
const examplePng = join(__dirname, '../../docs/statistics/kl-report-example-page1.png');

/**
 * 30 municipalities (6 per region) report every day of March 2026 and of 1–3 February 2026;
 * attempts per member-day are ordinary (0–11) except one member-day in eight with 201–204,
 * above the threshold. About 29k events, loaded straight into the events indices.
 */
function generatedMonths(): { events: Array<Record<string, unknown>>; truth: MemberDayCount[] } {
  const chosen = ['1081', '1082', '1083', '1084', '1085'].flatMap((region) =>
    municipalities
      .filter((m) => m.region_code === region)
      .slice(0, 6)
      .map((m) => municipalityIds.indexOf(m.code)),
  );
  const events: Array<Record<string, unknown>> = [];
  const truth: MemberDayCount[] = [];
  const days = [...daysFrom('2026-02-01', 3), ...daysFrom('2026-03-01', 31)];
  days.forEach((day, d) =>
    chosen.forEach((m, k) => {
      const attempts = (k * 5 + d * 3) % 8 === 0 ? 201 + (k % 4) : (k * 7 + d * 5) % 12;
      const generated = memberDayEvents(m, day, attempts);
      events.push(...generated.events);
      truth.push(generated.truth);
    }),
  );
  return { events, truth };
}

interface Cell {
  suppressed: boolean;
  municipalities: number;
  attempts: number;
  distribution: { min: number; q1: number; median: number; q3: number; max: number };
  share_above_threshold: number;
  share_municipalities_mean_above_threshold: number;
}

describe('KL report and member benchmark (alerting app, Elasticsearch, Chromium)', () => {
  let env: Record<string, string>;
  let alerting: AppProcess;
  let tokens: TokenIssuer;
  let truth: MemberDayCount[];
  const dir = mkdtempSync(join(tmpdir(), 'e2e-report-'));
  const es = createElasticsearchClient(elasticsearchUrl);

  beforeAll(async () => {
    const membersFile = join(dir, 'members.json');
    writeFileSync(membersFile, JSON.stringify(membersFileOfRanges()));
    env = await isolatedEnv({ MEMBERS_FILE: membersFile });
    tokens = new TokenIssuer(env.JWT_SECRET);
    alerting = new AppProcess('alerting', env).start();
    // Ready first: the app installs the events index template the aggregations rely on.
    await alerting.waitReady();
    const names = new IndexNames(env.INDEX_PREFIX);
    const generated = generatedMonths();
    truth = generated.truth;
    await bulkLoad(es, generated.events, (event) => names.eventsIndexFor(String(event['@timestamp'])));
    await es.indices.refresh({ index: `${env.INDEX_PREFIX}-events-*` });
  });

  afterAll(async () => {
    await alerting.kill();
    const redis = createRedis(env.REDIS_URL, 'worker', 'e2e-cleanup');
    await removeRedisKeys(redis, env);
    redis.disconnect();
    await removeIndices(es, env);
    await es.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const tokenOf = (principal: Principal) => tokens.issue(principal);
  const kl = () => tokenOf({ sub: 'kl', role: 'kl_reporter' });
  const get = (path: string, token: string) => fetch(`${alerting.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const monthCell = async (month: string, last: string): Promise<Cell> => {
    const body = (await (await get(`/v1/statistics/attempts?from=${month}-01&to=${month}-${last}&granularity=month`, kl())).json()) as { cells: Cell[] };
    return body.cells[0];
  };

  it("renders the month's PDF with headless Chromium, and its text holds the headline figures the API returns", async () => {
    const march = await monthCell('2026-03', '31');
    const february = await monthCell('2026-02', '28');
    expect(march).toMatchObject({ suppressed: false, municipalities: 30 });
    expect(february).toMatchObject({ suppressed: false, municipalities: 30 });
    expect(march.share_above_threshold).toBeGreaterThan(0);

    const reply = await get('/v1/statistics/report?month=2026-03&format=pdf', kl());
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/pdf');
    expect(reply.headers.get('content-disposition')).toBe('attachment; filename="kl-rapport-2026-03.pdf"');
    const pdf = join(dir, 'report.pdf');
    writeFileSync(pdf, Buffer.from(await reply.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    const d = march.distribution;
    for (const figure of [
      'Angrebsforsøg mod kommunerne',
      'marts 2026',
      danishNumber(march.municipalities),
      danishNumber(d.median),
      `${danishNumber(d.q1)}–${danishNumber(d.q3)}`,
      danishPercent(march.share_above_threshold),
      danishPercent(march.share_municipalities_mean_above_threshold),
      danishNumber(march.attempts, 0),
      `Forrige måned: ${danishPercent(february.share_above_threshold)}`,
    ])
      expect({ figure, found: text.includes(figure) }).toEqual({ figure, found: true });

    // A page as PNG: the committed example (docs/statistics/) is this page.
    const prefix = join(dir, 'page');
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', pdf, prefix]);
    const png = readFileSync(`${prefix}.png`);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    if (process.env.UPDATE_REPORT_EXAMPLE === '1') copyFileSync(`${prefix}.png`, examplePng);
    expect(existsSync(examplePng)).toBe(true);
  });

  it('renders the same report as self-contained HTML, the figures equal to the API', async () => {
    const march = await monthCell('2026-03', '31');
    const reply = await get('/v1/statistics/report?month=2026-03', kl());
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await reply.text();
    expect(html).toContain(`>${danishNumber(march.distribution.median)}<`);
    expect(html).toContain(`>${danishPercent(march.share_above_threshold)}<`);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|(src|href)="https?:/);
  });

  it("publishes in the report's CSV only rows the API publishes, row for row", async () => {
    const reply = await get('/v1/statistics/report?month=2026-03&format=csv', kl());
    expect(reply.headers.get('content-type')).toMatch(/^text\/csv/);
    const [, ...rows] = (await reply.text()).trimEnd().split('\r\n');
    const apiRows = new Set<string>();
    for (const path of [
      'attempts?from=2026-03-01&to=2026-03-31&granularity=month',
      'attempts?from=2026-02-01&to=2026-02-28&granularity=month',
      'attempts?from=2026-03-01&to=2026-03-31&granularity=day',
      'regions?from=2026-03-01&to=2026-03-31&granularity=month',
    ]) {
      const [, ...lines] = (await (await get(`/v1/statistics/${path}&format=csv`, kl())).text()).trimEnd().split('\r\n');
      lines.forEach((line) => apiRows.add(line));
    }
    expect(rows).toHaveLength(1 + 1 + 31 + 5);
    for (const row of rows) expect({ row, inApi: apiRows.has(row.slice(row.indexOf(',') + 1)) }).toEqual({ row, inApi: true });
  });

  it('makes the same report from the CLI (npm run cli -- report) as the API does', async () => {
    const out = join(dir, 'cli');
    const root = join(__dirname, '../..');
    const printed = execFileSync(
      process.execPath,
      [
        '-r',
        join(root, 'scripts/register-paths.js'),
        join(root, 'dist/apps/cli/src/main.js'),
        'report',
        '--month',
        '2026-03',
        '--out',
        out,
        '--format',
        'csv,html',
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      },
    );
    expect(JSON.parse(printed)).toEqual({ month: '2026-03', files: [join(out, 'kl-rapport-2026-03.html'), join(out, 'kl-rapport-2026-03.csv')] });
    const api = await (await get('/v1/statistics/report?month=2026-03&format=csv', kl())).text();
    expect(readFileSync(join(out, 'kl-rapport-2026-03.csv'), 'utf8')).toBe(api);
    const html = readFileSync(join(out, 'kl-rapport-2026-03.html'), 'utf8');
    const march = await monthCell('2026-03', '31');
    expect(html).toContain(`>${danishPercent(march.share_above_threshold)}<`);
  });

  it('refuses the report to a member and a bad month with the problem named', async () => {
    const member = await get('/v1/statistics/report?month=2026-03', tokenOf({ sub: 'm', role: 'member', member_id: municipalityIds[0] }));
    expect(member.status).toBe(403);
    const bad = await get('/v1/statistics/report?month=2026-13&format=docx', kl());
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_query', problems: [{ path: 'month', message: 'must be a month YYYY-MM' }, { path: 'format' }] });
  });

  it("gives a member its own attempts against the published national quartiles, and nobody else's", async () => {
    const own = truth.filter((c) => c.day >= '2026-03-02' && c.day <= '2026-03-08')[0].memberId;
    const mine = (c: MemberDayCount) => c.memberId === own && c.day >= '2026-03-02' && c.day <= '2026-03-08';
    const memberToken = tokenOf({ sub: 'm', role: 'member', member_id: own });
    const reply = await get('/v1/statistics/benchmark?from=2026-03-02&to=2026-03-08', memberToken);
    expect(reply.status).toBe(200);
    const body = (await reply.json()) as {
      member: string;
      buckets: Array<{ bucket: string; own: { attempts: number } | null; national: { median?: number } }>;
    };
    expect(body.member).toBe(own);
    expect(body.buckets.map((b) => [b.bucket, b.own?.attempts])).toEqual(truth.filter(mine).map((c) => [c.day, c.attempts]));
    const days = (await (await get('/v1/statistics/attempts?from=2026-03-02&to=2026-03-08', kl())).json()) as { cells: Cell[] };
    expect(body.buckets.map((b) => b.national.median)).toEqual(days.cells.map((c) => c.distribution.median));

    const other = municipalityIds.find((id) => id !== own && truth.some((c) => c.memberId === id)) as string;
    const refused = await get(`/v1/statistics/benchmark?from=2026-03-02&to=2026-03-08&member=${other}`, memberToken);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ message: 'a member sees only its own benchmark' });
    expect((await get(`/v1/statistics/benchmark?from=2026-03-02&to=2026-03-08&member=${own}`, memberToken)).status).toBe(200);
    expect((await get('/v1/statistics/benchmark?from=2026-03-02&to=2026-03-08', kl())).status).toBe(403);
    const region = await get('/v1/statistics/benchmark?from=2026-03-02&to=2026-03-08', tokenOf({ sub: 'r', role: 'member', member_id: '1081' }));
    expect(region.status).toBe(404);
    const soc = tokenOf({ sub: 'soc', role: 'soc_analyst' });
    expect((await get('/v1/statistics/benchmark?from=2026-03-02&to=2026-03-08', soc)).status).toBe(400);
    const asked = (await (await get(`/v1/statistics/benchmark?from=2026-03-02&to=2026-03-08&member=${other}`, soc)).json()) as { member: string };
    expect(asked.member).toBe(other);
  });
});
