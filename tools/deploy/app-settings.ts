import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import 'reflect-metadata';
import { consoleSettingNames, envSchema, parseConfig, parseConsoleConfig } from '@soc/config';
import { HealthController } from '@soc/platform';

/**
 * What the deployment files must agree with, read from the apps themselves: each app's settings
 * (the zod schemas' keys), its port and host variables, and its health routes. The deployment
 * specs (compose, Dockerfiles, Kubernetes) check their files against this, so a renamed setting or
 * route fails them instead of a deployment.
 */
export const repositoryRoot = join(__dirname, '..', '..');

export const deployedApps = ['collector', 'correlator', 'alerting', 'console'] as const;
export type DeployedApp = (typeof deployedApps)[number];

/** Settings read by libs/config for the three APIs, plus the families named by a prefix. */
const apiSettingNames = new Set(Object.keys(envSchema.shape));
const apiSettingPrefixes = ['WEBHOOK_SECRET_', 'TAXII_SECRET_'];

const consoleSettings = new Set(consoleSettingNames);

export function isKnownSetting(app: DeployedApp, name: string): boolean {
  if (app === 'console') return consoleSettings.has(name);
  return apiSettingNames.has(name) || apiSettingPrefixes.some((prefix) => name.startsWith(prefix) && name.length > prefix.length);
}

/**
 * Parses an app's environment as the app does at start: throws the app's own message naming every
 * bad or missing required setting (e.g. OIDC_ISSUER under NODE_ENV=production).
 */
export function parseAppEnvironment(app: DeployedApp, env: Record<string, string>): void {
  if (app === 'console') parseConsoleConfig(env);
  else parseConfig(env);
}

/** Each app's HTTP listener: the variables naming its address and port, and the default port. */
export const appListener: Record<DeployedApp, { hostVariable: string; portVariable: string; port: number }> = {
  collector: { hostVariable: 'COLLECTOR_HOST', portVariable: 'COLLECTOR_PORT', port: 4100 },
  correlator: { hostVariable: 'CORRELATOR_HOST', portVariable: 'CORRELATOR_PORT', port: 4101 },
  alerting: { hostVariable: 'ALERTING_HOST', portVariable: 'ALERTING_PORT', port: 4102 },
  console: { hostVariable: 'CONSOLE_HOST', portVariable: 'CONSOLE_PORT', port: 4103 },
};

/** The health routes every app serves, read from the controller's Nest route metadata. */
export function healthRoutes(): { live: string; ready: string } {
  const base = Reflect.getMetadata('path', HealthController) as string;
  const route = (method: 'live' | 'ready') => `/${base}/${Reflect.getMetadata('path', HealthController.prototype[method]) as string}`;
  return { live: route('live'), ready: route('ready') };
}

/** Whether the app's root module registers the health controller (read from its module source). */
export function registersHealthController(app: DeployedApp): boolean {
  const source = readFileSync(join(repositoryRoot, `apps/${app}/src/${app}.module.ts`), 'utf8');
  return /controllers:\s*\[[^\]]*\bHealthController\b/.test(source);
}
