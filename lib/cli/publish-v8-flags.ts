/**
 * The V8 settings `fleuron publish` runs with, set as the command starts. Both are read by V8 as it goes, so setting
 * them in the running process takes effect (bench/scan/scan-once.mjs sets them too, to measure what the CLI runs).
 */
import { setFlagsFromString } from 'node:v8';

/** V8 11's interrupt budget (Node 20): bytes of bytecode a function runs between two looks at whether to optimise it. */
const V8_11_INTERRUPT_BUDGET = 67_584;

/**
 * - `--heap-growing-percent=20`: V8 lets the heap grow to several times its live size before a full collection; a
 *   publish of 100,000 files allocates fast and would peak above 500 MB for ~150 MB of live data. A 20 % growth step
 *   keeps the peak near the live size, for a few more (short) collections. Not for `fleuron build`: it would pay for
 *   them with nothing to gain.
 * - On V8 11 (Node 20), 16 times the interrupt budget. That V8 has no middle tier (Maglev came with V8 12, Node 22):
 *   a function hot for a moment, as most of a publish's are (the walk, the listing's pages, the hashing loop), is
 *   compiled by TurboFan, and on a 2-core machine that compiling took the cores the publish needed (--trace-opt: 122
 *   functions, ~0.6 s of compiling in a publish of 1.7 s). With the larger budget only functions that stay hot are.
 *   Node 20, Ceph + 15–25 ms, the 10,000-file benchmark, alternated runs, medians of CPU (all threads) and wall: fresh
 *   git clone 1.52 → 1.28 s CPU (1.67 → 1.52 s wall, 8 runs each), 1 % changed and every mtime touched 2.01 → 1.80 s
 *   (1.80 → 1.71 s, 8), no-op 1.16 → 1.01 s (1.00 → 0.96 s, 6), 1 % deleted 1.26 → 1.15 s (1.25 → 1.20 s, 6); the
 *   30-second initial upload no slower (two runs each); 8 or 32 times the budget gained less. Node 24 (Maglev) gained
 *   nothing from the like (--invocation-count-for-turbofan four times higher), and V8 12+ knows no such flag: an
 *   unknown one is printed as an error.
 */
export function publishV8Flags(v8Version: string): string[] {
  const flags = ['--heap-growing-percent=20'];
  if (Number(v8Version.split('.')[0]) < 12) flags.push(`--interrupt-budget=${16 * V8_11_INTERRUPT_BUDGET}`);
  return flags;
}

export function setPublishV8Flags(): void {
  for (const flag of publishV8Flags(process.versions.v8)) setFlagsFromString(flag);
}
