/**
 * One local scan in this process, for bench.mjs: `node bench/scan/scan-once.mjs DIR` prints
 * { scan (s), cpu (s of CPU of the process during the scan, all threads), main (s of CPU of the main thread alone,
 * the one the scan waits on; Linux only), files, hits, rss (MB, peak of the process, worker threads included) } as JSON.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

// As `fleuron publish` does (lib/cli/run-publish.ts), so that the peak RSS and the times are the CLI's.
const { limitHeapGrowth, optimiseOnlyWhatStaysHot } = await import('../../dist/cli/publish-v8-flags.js');
limitHeapGrowth();
optimiseOnlyWhatStaysHot();

const dir = process.argv[2];
const { compileHeaderPolicy } = await import('../../dist/headers/header-rules.js');
const { scanLocal } = await import('../../dist/publish/scan-local.js');
/** CPU time of the main thread so far, in seconds (its schedstat's first field, in ns), or undefined off Linux. */
const mainThreadCpu = () => {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e9;
  } catch {
    return undefined;
  }
};
const mainBefore = mainThreadCpu();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const result = await scanLocal({ dir, prefix: '', policy: compileHeaderPolicy({}) });
const scan = (performance.now() - started) / 1000;
const { user, system } = process.cpuUsage(cpuBefore);
const cpu = (user + system) / 1e6;
const mainAfter = mainThreadCpu();
const main = mainBefore === undefined || mainAfter === undefined ? undefined : mainAfter - mainBefore;
const rss = Math.round(process.resourceUsage().maxRSS / 1024);
const { heapUsed, external } = process.memoryUsage();
if (process.env.SCAN_MEMORY) process.stderr.write(`heapUsed ${(heapUsed / 2 ** 20).toFixed(0)} MB, external ${(external / 2 ** 20).toFixed(0)} MB\n`);
process.stdout.write(JSON.stringify({ scan, cpu, main, files: result.files.length, hits: result.hashesFromCache, rss }));
