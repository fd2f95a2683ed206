import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built by `npm install` (the `prepare` script) and served by the server under /console/. Paths are relative to this
// folder, which `vite build web` makes the root.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  // Nothing to copy verbatim: the icon is inlined in index.html.
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The server sends a strict Content-Security-Policy (script-src 'self'), so nothing may be inlined as a data: URL
    // script; small assets inline into CSS only.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1000,
  },
});
