// Loaded with `node --import` (NODE_OPTIONS) by sdk-on-demand.test.ts: records every file module the process loads.
import { register } from 'node:module';

register(new URL('./hooks.mjs', import.meta.url));
