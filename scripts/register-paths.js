// Resolves the `@soc/<lib>` aliases of tsconfig.json inside the compiled `dist/` tree, so the
// apps run as plain Node processes without a bundler.
const path = require('path');
const tsconfigPaths = require('tsconfig-paths');

tsconfigPaths.register({
  baseUrl: path.join(__dirname, '..', 'dist'),
  paths: { '@soc/*': ['libs/*/src'] },
});
