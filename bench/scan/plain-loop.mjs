/**
 * The reference of issue 11, for bench.mjs: a plain single-threaded Node loop (recursive readdir, then
 * readFileSync and MD5 of every file). `node bench/scan/plain-loop.mjs DIR` prints { scan (s), cpu (s), files }.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const dir = process.argv[2];
const cpuBefore = process.cpuUsage();
const started = performance.now();
let files = 0;
const walk = (folder) => {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (entry.isFile()) {
      createHash('md5').update(readFileSync(file)).digest('hex');
      files++;
    }
  }
};
walk(dir);
const { user, system } = process.cpuUsage(cpuBefore);
process.stdout.write(JSON.stringify({ scan: (performance.now() - started) / 1000, cpu: (user + system) / 1e6, files }));
