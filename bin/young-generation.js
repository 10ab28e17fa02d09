// The size of V8's young generation for the commands that hold a whole site in memory, a start-up flag only.
//
// Node 22+ lets the young generation grow to 64 MB semi-spaces where Node 20 stops at 16 MB. A cold build of 4,000
// pages or the publisher's scan of 100,000 files grows it to the largest: Node 24's cold build of the rich benchmark
// corpus peaked at 357 MB RSS, 277 MB with 16 MB semi-spaces. V8 reads the size only when the process starts (set
// later with v8.setFlagsFromString, it is ignored), so `build`, `publish` and `preview` started without it replace
// their process with one started with it (process.execve, Node 22.15+ and 23.11+; same process id, standard streams
// and signals). The cost is one Node start-up more, ~0.1 s of CPU (measured in the README's "Node versions").

import { commandOf } from './command.js';

const FLAG = '--max-semi-space-size=16';
const COMMANDS_WITH_LARGE_HEAPS = new Set(['build', 'publish', 'preview']);

/** Replaces this process with one started with the flag, when it helps and can be done; else returns. */
export function startWithSmallYoungGeneration() {
  if (typeof process.execve !== 'function' || Number(process.versions.node.split('.')[0]) < 22) return;
  if (!COMMANDS_WITH_LARGE_HEAPS.has(commandOf())) return;
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (flags.some((flag) => /^--max[-_]semi[-_]space[-_]size\b/.test(flag))) return;
  process.execve(process.execPath, [process.execPath, FLAG, ...process.execArgv, ...process.argv.slice(1)], process.env);
}
