/**
 * The V8 settings `fleuron publish` runs with. V8 reads both as it goes, so setting them in the running process takes
 * effect (bench/scan/scan-once.mjs sets them too, to measure what the CLI runs).
 */
import { setFlagsFromString } from 'node:v8';

/**
 * V8 lets the heap grow to several times its live size before a full collection; a publish of 100,000 files allocates
 * fast and would peak above 500 MB for ~150 MB of live data. A 20 % growth step keeps the peak near the live size, for
 * a few more (short) collections. Not for `fleuron build`: it would pay for them with nothing to gain.
 */
export const HEAP_GROWTH_FLAG = '--heap-growing-percent=20';

/** V8 11's interrupt budget (Node 20): bytes of bytecode a function runs between two looks at whether to optimise it. */
const V8_11_INTERRUPT_BUDGET = 67_584;

/**
 * On V8 11 (Node 20), 16 times the interrupt budget for a publish's first seconds (FIRST_SECONDS), then the default
 * again. That V8 has no middle tier (Maglev came with V8 12, Node 22): a function hot for a moment, as most of a
 * publish's are (the walk, the listing's pages, the hashing loop), is compiled by TurboFan, and on a 2-core machine
 * that compiling took the cores the publish needed (--trace-opt: 122 functions, ~0.6 s of compiling in a publish of
 * 1.7 s). With the larger budget only functions that stay hot are. Node 20, Ceph + 15–25 ms, the 10,000-file
 * benchmark, alternated runs, medians of CPU (all threads) and wall: fresh git clone 1.45 → 1.37 s CPU (1.46 → 1.37 s
 * wall, 10 runs each, each with a hash cache of its own), 1 % changed and every mtime touched 2.01 → 1.80 s (1.80 →
 * 1.71 s, 8), no-op 1.16 → 1.01 s (1.00 → 0.96 s, 6), 1 % deleted 1.26 → 1.15 s (1.25 → 1.20 s, 6); 8 or 32 times the
 * budget gained less. Not for a build: a cold build of 4,000 pages took less CPU with it but longer (7.7–9.7 →
 * 10.3–11.1 s wall, three runs each), so a publish of sources sets it after its build. Node 24 (Maglev) gained nothing
 * from the like (--invocation-count-for-turbofan four times higher), and V8 12+ knows no such flag: an unknown one is
 * printed as an error.
 */
export function tieringFlags(v8Version: string): { first: string[]; then: string[] } {
  if (Number(v8Version.split('.')[0]) >= 12) return { first: [], then: [] };
  return { first: [`--interrupt-budget=${16 * V8_11_INTERRUPT_BUDGET}`], then: [`--interrupt-budget=${V8_11_INTERRUPT_BUDGET}`] };
}

/**
 * How long a publish runs with the larger budget. A longer one is a large site's or a large upload's, where compiled
 * code pays back its compiling: with the budget kept, a 100,000-file upload took 187–207 s against 175–178 s (three
 * and two runs) and its no-op peaked at 280–298 MB against 246–265 MB.
 */
const FIRST_SECONDS = 2;

/** As a publish starts. */
export function limitHeapGrowth(): void {
  setFlagsFromString(HEAP_GROWTH_FLAG);
}

/** Once a publish's build, if any, is done. */
export function optimiseOnlyWhatStaysHot(): void {
  const { first, then } = tieringFlags(process.versions.v8);
  for (const flag of first) setFlagsFromString(flag);
  if (then.length > 0) setTimeout(() => then.forEach((flag) => setFlagsFromString(flag)), FIRST_SECONDS * 1000).unref();
}
