import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { appListener, deployedApps, healthRoutes, isKnownSetting, repositoryRoot } from './app-settings';

interface Instruction {
  keyword: string;
  args: string;
}

/** A Dockerfile's instructions by stage: continuation lines joined, comments left out. */
function stagesOf(source: string): { from: string; name?: string; instructions: Instruction[] }[] {
  const logical = source
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: { from: string; name?: string; instructions: Instruction[] }[] = [];
  for (const line of logical) {
    const [keyword, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const [image, as, name] = args.split(/\s+/);
      stages.push({ from: image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

const dockerfile = (app: string) => readFileSync(join(repositoryRoot, `apps/${app}/Dockerfile`), 'utf8');

describe.each(deployedApps)('apps/%s/Dockerfile', (app) => {
  const source = dockerfile(app);
  const [build, runtime, ...more] = stagesOf(source);
  const runtimeArgs = (keyword: string) => runtime.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

  it('passes dockerfile-utils’ linter without a diagnostic', () => {
    expect(validate(source).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('builds in a build stage with the dev dependencies and runs from a runtime stage, both node:20-bookworm-slim', () => {
    expect(more).toEqual([]);
    expect([build.from, build.name, runtime.from, runtime.name]).toEqual(['node:20-bookworm-slim', 'build', 'node:20-bookworm-slim', 'runtime']);
    expect(build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args)).toEqual(['npm ci --ignore-scripts', 'npm run build']);
  });

  it('installs only production dependencies in the runtime stage and copies the compiled tree from the build stage', () => {
    expect(runtimeArgs('RUN')).toContain('npm ci --omit=dev --ignore-scripts && npm cache clean --force');
    expect(runtimeArgs('COPY')).toContain('--from=build /app/dist ./dist');
    // The apps that carry events run with the young generation bench:pipeline measured them with.
    const flags = app === 'console' ? '' : '"--max-semi-space-size=64", ';
    expect(runtimeArgs('CMD')).toEqual([`["node", ${flags}"-r", "./scripts/register-paths.js", "dist/apps/${app}/src/main.js"]`]);
    expect(existsSync(join(repositoryRoot, `apps/${app}/src/main.ts`))).toBe(true);
  });

  it('runs as the unprivileged node user (uid 1000) from the USER instruction on', () => {
    const keywords = runtime.instructions.map((i) => i.keyword);
    expect(runtimeArgs('USER')).toEqual(['node']);
    expect(keywords.slice(keywords.indexOf('USER')).filter((k) => k === 'RUN' || k === 'COPY')).toEqual([]);
  });

  it('listens on all interfaces on its port, exposes it and checks readiness there', () => {
    const { hostVariable, portVariable, port } = appListener[app];
    const env = runtimeArgs('ENV').join(' ');
    expect(env).toContain(`${hostVariable}=0.0.0.0`);
    expect(env).toContain(`${portVariable}=${port}`);
    for (const [name] of env.matchAll(/[A-Z_]+(?==)/g)) expect({ name, known: isKnownSetting(app, name) }).toEqual({ name, known: true });
    expect(runtimeArgs('EXPOSE')[0].split(' ')[0]).toBe(String(port));
    const healthcheck = runtimeArgs('HEALTHCHECK')[0];
    expect(healthcheck).toContain(`process.env.${portVariable} || ${port}`);
    expect(healthcheck).toContain(`'${healthRoutes().ready}'`);
  });

  it(app === 'alerting' ? 'installs Debian’s chromium, which prints the KL report’s PDF' : 'carries no browser', () => {
    expect(runtimeArgs('RUN').some((run) => /apt-get install .*\bchromium\b/.test(run))).toBe(app === 'alerting');
  });

  it(app === 'correlator' ? 'carries the detection rules it imports at start' : 'carries no rules', () => {
    expect(runtimeArgs('COPY').includes('rules ./rules')).toBe(app === 'correlator');
  });
});

describe('.dockerignore', () => {
  it('keeps installed and built trees and the deployment secrets out of the build context', () => {
    const ignored = readFileSync(join(repositoryRoot, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['.git', 'node_modules', 'dist', '.services', 'deploy/compose/.env', 'deploy/kubernetes/overlays/*/secrets.env']),
    );
  });
});
