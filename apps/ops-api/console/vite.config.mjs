// Builds the console into dist/apps/ops-api/console, served by the ops API under /console.
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [preact()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../../dist/apps/ops-api/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
});
