// Prints the OpenAPI documents of the three apps as one JSON object, built from the compiled
// `dist/` tree the e2e apps run from, by the same function that serves `GET /openapi.json`.
// Nest's preview mode maps the controllers without creating any provider: no Redis, no
// Elasticsearch, about a second. The abuse suite runs this while jest collects its tests, so
// test names come from the route table; it then checks the started apps serve the same table.
const { join } = require('node:path');
const root = join(__dirname, '..', '..', '..');
require(join(root, 'scripts/register-paths.js'));
require(require.resolve('reflect-metadata', { paths: [root] }));
const { NestFactory } = require(require.resolve('@nestjs/core', { paths: [root] }));
const { FastifyAdapter } = require(require.resolve('@nestjs/platform-fastify', { paths: [root] }));
const { openApiDocument } = require(join(root, 'dist/libs/platform/src/openapi.js'));

const apps = [
  ['collector', 'CollectorModule', 'collectorOpenApi'],
  ['correlator', 'CorrelatorModule', 'correlatorOpenApi'],
  ['alerting', 'AlertingModule', 'alertingOpenApi'],
];

(async () => {
  const documents = {};
  for (const [app, moduleName, optionsName] of apps) {
    const module = require(join(root, `dist/apps/${app}/src/${app}.module.js`))[moduleName];
    const options = require(join(root, `dist/apps/${app}/src/openapi.js`))[optionsName];
    const nest = await NestFactory.create(module, new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
    documents[app] = openApiDocument(nest, options);
  }
  process.stdout.write(JSON.stringify(documents));
})().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
