import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The console's single-page application, built by `npm run build` into dist/console-web, which the
 * console's backend-for-frontend serves at `/` (apps/console/src/spa). The typed API client comes
 * from libs/api-client (generated from the apps' OpenAPI documents), bundled from its source.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: { alias: { '@soc/api-client': here('../../../libs/api-client/src/index.ts') } },
  build: {
    outDir: here('../../../dist/console-web'),
    emptyOutDir: true,
    // No inline scripts or styles anywhere: the console's Content-Security-Policy forbids them.
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  logLevel: 'warn',
});
