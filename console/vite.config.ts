import { defineConfig } from 'vite';

// The pages: console/index.html and src/web, built into dist/public, which the Fastify server serves.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  build: { outDir: 'dist/public', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1024 },
  // `npx vite` in console/ for page work: the API comes from a console server on its default port.
  server: { proxy: { '/api': 'http://127.0.0.1:8010' } },
});
