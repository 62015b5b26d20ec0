// Validates OpenAPI documents with @seriousme/openapi-schema-validator (the OpenAPI 3.1 meta-schema
// and JSON Schema 2020-12). An ES module, so the CommonJS jest specs and the generator run it as a
// child process: reads `{ "<app>": <document>, … }` on stdin, prints `{ "<app>": { valid, errors } }`.
import { Validator } from '@seriousme/openapi-schema-validator';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const documents = JSON.parse(input);
const results = {};
for (const [app, document] of Object.entries(documents)) {
  const validator = new Validator();
  const result = await validator.validate(document);
  results[app] = { valid: result.valid, version: validator.version, errors: result.valid ? [] : result.errors };
}
process.stdout.write(JSON.stringify(results));
