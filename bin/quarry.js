#!/usr/bin/env node
// Entry point: registers the TypeScript loader, then runs the CLI. Running the sources directly keeps set-up to one
// `npm install` (no build step to forget); tsx compiles each file once at load, so request handling is unaffected.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
