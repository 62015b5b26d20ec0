import createClient, { type Client } from 'openapi-fetch';
import type { paths as AlertingPaths } from './generated/alerting';
import type { paths as CollectorPaths } from './generated/collector';
import type { paths as CorrelatorPaths } from './generated/correlator';

export type { AlertingPaths, CollectorPaths, CorrelatorPaths };
export type AlertingClient = Client<AlertingPaths>;
export type CollectorClient = Client<CollectorPaths>;
export type CorrelatorClient = Client<CorrelatorPaths>;

/** How a client authenticates: a bearer token (a JWT), or (collector) a member's forwarder key. */
export type ApiCredentials = { token: string } | { forwarderKey: string };

const headersOf = (credentials?: ApiCredentials): Record<string, string> => {
  if (!credentials) return {};
  return 'token' in credentials ? { authorization: `Bearer ${credentials.token}` } : { authorization: `ApiKey ${credentials.forwarderKey}` };
};

/*
 * Typed clients of the three apps, their paths, parameters, bodies and answers generated from the
 * apps' OpenAPI documents (`npm run openapi:client`, docs/API.md), never written by hand.
 */
export const alertingClient = (baseUrl: string, credentials?: ApiCredentials): AlertingClient =>
  createClient<AlertingPaths>({ baseUrl, headers: headersOf(credentials) });
export const collectorClient = (baseUrl: string, credentials?: ApiCredentials): CollectorClient =>
  createClient<CollectorPaths>({ baseUrl, headers: headersOf(credentials) });
export const correlatorClient = (baseUrl: string, credentials?: ApiCredentials): CorrelatorClient =>
  createClient<CorrelatorPaths>({ baseUrl, headers: headersOf(credentials) });
