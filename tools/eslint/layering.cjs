// The layering of docs/ARCHITECTURE.md as a lint rule, so the tree keeps the shape it promises:
// - a pure lib imports no framework or driver (Nest, Redis, BullMQ, Elasticsearch, Fastify);
// - a package (an app, a lib, bench, the tests) reaches another lib only through `@soc/<lib>`,
//   never into its files (tests and benches may use another package's test support:
//   `<lib>/test/` and `<lib>/src/testing/`);
// - libs, bench and the tests' shared support never import an app, and no app imports another.
const path = require('node:path');

/** Libs with no framework or driver import (docs/ARCHITECTURE.md, "may import": pure or zod). */
const pureLibs = new Set([
  'alerts',
  'config',
  'contracts',
  'correlation',
  'indicators',
  'ingest',
  'members',
  'parsing',
  'relp',
  'rule-catalogue',
  'sigma',
  'statistics',
]);
const frameworks = [
  /^@nestjs\//,
  /^ioredis$/,
  /^bullmq$/,
  /^@elastic\//,
  /^fastify$/,
  /^@fastify\//,
  /^@soc\/(redis|storage|platform|event-stream|indicator-store|auth|ingestion-health|jobs|rule-store|dead-letters|report-pdf)$/,
];

/** The package a repository path belongs to: `apps/<app>`, `libs/<lib>`, `bench`, `test`, or undefined (tools, scripts). */
function packageOf(relative) {
  const parts = relative.split(path.sep);
  if ((parts[0] === 'apps' || parts[0] === 'libs') && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  if (parts[0] === 'bench' || parts[0] === 'test') return parts[0];
  return undefined;
}

const isTestFile = (relative) =>
  /\.(spec|int-spec|e2e-spec)\.ts$/.test(relative) || relative.split(path.sep).includes('test') || relative.includes(`${path.sep}testing${path.sep}`);
const isTestSupport = (relative) =>
  relative.split(path.sep).includes('test') || relative.includes(`${path.sep}src${path.sep}testing${path.sep}`) || /\.testing(\.ts)?$/.test(relative);

module.exports = {
  pureLibs,
  meta: {
    type: 'problem',
    docs: { description: 'keeps the package layering of docs/ARCHITECTURE.md' },
    schema: [],
    messages: {
      framework: "pure lib '{{lib}}' may not import '{{source}}' (docs/ARCHITECTURE.md: pure libs import no framework or driver)",
      deep: "import '{{source}}' reaches into {{target}}'s files: import '@soc/{{lib}}' (its index) instead",
      deepAlias: "'{{source}}' is not a package entry: import '@soc/{{lib}}' (its index) instead",
      app: "{{from}} may not import the app {{target}} (only an app's own files import it)",
    },
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename);
    const own = packageOf(file);
    if (own === undefined) return {};
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const alias = /^@soc\/([^/]+)(\/.*)?$/.exec(source);
      if (alias && alias[2]) context.report({ node, messageId: 'deepAlias', data: { source, lib: alias[1] } });
      if (own.startsWith('libs/') && pureLibs.has(own.slice(5)) && !isTestFile(file) && frameworks.some((f) => f.test(source))) {
        context.report({ node, messageId: 'framework', data: { lib: own.slice(5), source } });
      }
      if (!source.startsWith('.')) return;
      const targetFile = path.relative(root, path.resolve(path.dirname(context.filename), source));
      const target = packageOf(targetFile);
      if (target === undefined || target === own) return;
      if (target.startsWith('apps/')) {
        context.report({ node, messageId: 'app', data: { from: own, target } });
        return;
      }
      // Tests and benches may share another package's test support; nothing may share its code.
      if ((isTestFile(file) || own === 'bench' || own === 'test') && isTestSupport(targetFile)) return;
      if (target.startsWith('libs/')) context.report({ node, messageId: 'deep', data: { source, target, lib: target.slice(5) } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
