#!/usr/bin/env bash
# `npm run openapi:client`: the three apps' OpenAPI documents, built from the compiled apps by the
# function that serves GET /openapi.json (Nest's preview mode: no Redis, no Elasticsearch), are
# validated and turned into the client's types. No app needs to run.
set -euo pipefail
cd "$(dirname "$0")/../../.."
npm run build --silent
# A configuration like the e2e deployments': modules may read it when loaded, no route depends on it.
NODE_ENV=test JWT_SECRET=route-table-preview-0123456789abcdef0123 node test/e2e/support/print-route-tables.js |
  node libs/api-client/scripts/openapi-client.mjs "${1:---write}"
