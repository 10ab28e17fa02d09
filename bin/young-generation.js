// The size of V8's young generation for the commands that hold a whole site in memory, a start-up flag only.
//
// Node 22+ lets the young generation grow to 64 MB semi-spaces where Node 20 stops at 16 MB. A cold build of 4,000
// pages or the publisher's scan of 100,000 files grows it to the largest: Node 24's cold build of the rich benchmark
// corpus peaked at 357 MB RSS, 277 MB with 16 MB semi-spaces. V8 reads the size only when the process starts (set
// later with v8.setFlagsFromString, it is ignored), so `build`, `publish` and `preview` started without it replace
// their process with one started with it (process.execve, Node 22.15+ and 23.11+; same process id, standard streams
// and signals). The cost is one Node start-up more, ~0.1 s of CPU (measured in the README's "Node versions").
//
// Not for the publish of a built folder whose hash cache (its last publish from here) is small: too few files for
// the young generation's size to matter. Measured on Node 24, a no-op of the 10,000-file benchmark folder (a 1.25 MB
// cache): peak RSS 144 MB with 16 or 64 MB semi-spaces alike, 1.30 s with the restart against 1.15-1.18 s without
// (median of 5, alternated).

import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { commandOf } from './command.js';

/**
 * Semi-space size (MB) by command. The publisher's heap is mostly the scans' long-lived records, not short-lived
 * garbage: on Node 24 a no-op of 100,000 files peaked at 293-299 MB with 16 MB semi-spaces and 280-285 MB with 8 MB,
 * in no more time (4.8-5.0 s against 5.1-5.2 s, three alternated runs each).
 */
const SEMI_SPACE_MB = { build: 16, preview: 16, publish: 8 };
/** A hash cache under this size names some 16,000-22,000 files (90-125 bytes a line). */
const SMALL_SITE_CACHE_BYTES = 2 * 1024 * 1024;

/** Replaces this process with one started with the flag, when it helps and can be done; else returns. */
export async function startWithSmallYoungGeneration() {
  if (typeof process.execve !== 'function' || Number(process.versions.node.split('.')[0]) < 22) return;
  const argv = process.argv.slice(2);
  const command = commandOf(argv);
  if (!Object.hasOwn(SEMI_SPACE_MB, command)) return;
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (flags.some((flag) => /^--max[-_]semi[-_]space[-_]size\b/.test(flag))) return;
  if (command === 'publish' && (await publishesSmallSite(argv[argv.indexOf(command) + 1]))) return;
  process.execve(process.execPath, [process.execPath, `--max-semi-space-size=${SEMI_SPACE_MB[command]}`, ...process.execArgv, ...process.argv.slice(1)], process.env);
}

/**
 * Whether `fleuron publish DIR` names a folder with a small hash cache. Anything unsure (no folder right after the
 * command, a folder of sources, which is built first and has no cache of its own, no cache) says no: the restart.
 */
async function publishesSmallSite(dir) {
  if (dir === undefined || dir.startsWith('-')) return false;
  try {
    const { defaultCacheFile } = await import('../dist/publish/hash-cache-file.js');
    const file = defaultCacheFile(realpathSync(path.resolve(dir)));
    return file !== undefined && statSync(file).size < SMALL_SITE_CACHE_BYTES;
  } catch {
    return false;
  }
}
