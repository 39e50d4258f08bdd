// Builds the dashboard (Preact + uPlot) into src/dashboard/web/dist, which the server plugin
// serves at /. Everything is bundled from node_modules: the build downloads nothing.
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [preact({ prefreshEnabled: false, devToolsEnabled: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline polyfill script: the page is served with a strict Content-Security-Policy.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 400,
  },
  // `npx vite --config src/dashboard/web/vite.config.ts` for development, against a node on :8080.
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
  logLevel: 'warn',
});
