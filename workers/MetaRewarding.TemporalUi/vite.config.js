import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  // The package's CommonJS date helpers need pre-bundling; the UI's own build lists them too.
  optimizeDeps: { include: ['date-fns', 'date-fns-tz'] },
  build: { chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  logLevel: 'warn',
});
