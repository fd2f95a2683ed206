#!/usr/bin/env node
// Builds the console into web/dist. `npm install` runs it (the `prepare` script), `npm run build:web` by hand. Offline
// and a few seconds: Vite bundles what node_modules already holds.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

let vite;
try {
  vite = await import('vite');
} catch {
  // A production install (--omit=dev) has no Vite: the server still runs, and its /console/ page says how to build.
  console.warn('quarry: Vite is not installed (a production install?), so the web console was not built. Run "npm run build:web" after a full install.');
  process.exit(0);
}
await vite.build({ root: dirname(fileURLToPath(import.meta.url)), logLevel: process.env.QUARRY_WEB_BUILD_LOG ?? 'warn' });
