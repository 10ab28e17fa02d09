/**
 * bin/young-generation.js: on Node 22+ (with process.execve), `build` and `preview` go on in a process started with
 * 16 MB semi-spaces, `publish` with 8 MB; other commands, Node 20, a process given the flag already, and the publish of a
 * folder whose hash cache is small are left alone. A child process runs a script that calls it and prints the flags it
 * ends up with.
 */
import { execFile } from 'node:child_process';
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { defaultCacheFile } from '../../lib/publish/hash-cache-file.js';
import { tempDir } from '../builder/support/temp-site.js';

const run = promisify(execFile);
const restarts = typeof (process as { execve?: unknown }).execve === 'function' && Number(process.versions.node.split('.')[0]) >= 22;

async function flagsAfter(nodeFlags: string[], args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ execArgv: string[]; args: string[] }> {
  const dir = await tempDir();
  const probe = path.join(dir, 'probe.mjs');
  await writeFile(probe, `import { startWithSmallYoungGeneration } from ${JSON.stringify(path.resolve('bin/young-generation.js'))};\nawait startWithSmallYoungGeneration();\nconsole.log(JSON.stringify({ execArgv: process.execArgv, args: process.argv.slice(2) }));\n`);
  const { stdout } = await run(process.execPath, [...nodeFlags, probe, ...args], { env });
  return JSON.parse(stdout) as { execArgv: string[]; args: string[] };
}

it.each([
  ['build', 16],
  ['publish', 8],
  ['preview', 16],
])(`%s runs with %i MB semi-spaces ${restarts ? '(this Node restarts)' : '(not on this Node)'}, its arguments unchanged`, async (command, megabytes) => {
  const after = await flagsAfter(['--no-warnings'], [command, 'site', '--out', 'public']);
  expect(after.args).toEqual([command, 'site', '--out', 'public']);
  expect(after.execArgv).toEqual(restarts ? [`--max-semi-space-size=${megabytes}`, '--no-warnings'] : ['--no-warnings']);
});

it('leaves other commands, and a process given a semi-space size (flag or NODE_OPTIONS), as they are', async () => {
  expect((await flagsAfter([], ['--version'])).execArgv).toEqual([]);
  // A folder named like a command, given to another command (any argument equal to `build` used to restart).
  expect((await flagsAfter([], ['history', 'build'])).execArgv).toEqual([]);
  expect((await flagsAfter([], ['--debug', 'build', 'site'])).execArgv).toEqual(restarts ? ['--max-semi-space-size=16'] : []);
  expect((await flagsAfter(['--max-semi-space-size=32'], ['build'])).execArgv).toEqual(['--max-semi-space-size=32']);
  expect((await flagsAfter([], ['build'], { ...process.env, NODE_OPTIONS: '--max_semi_space_size=8' })).execArgv).toEqual([]);
});

it('a publish of a folder whose hash cache is small is not restarted; one with a large cache, none, or no folder named is', async () => {
  const site = await tempDir();
  const cacheHome = await tempDir();
  const env = { ...process.env, XDG_CACHE_HOME: cacheHome };
  const restarted = restarts ? ['--max-semi-space-size=8'] : [];
  expect((await flagsAfter([], ['publish', site, '--bucket', 'b'], env)).execArgv).toEqual(restarted); // no cache yet
  const before = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = cacheHome;
  const cacheFile = defaultCacheFile(await realpath(site))!;
  if (before === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = before;
  await mkdir(path.dirname(cacheFile), { recursive: true });
  await writeFile(cacheFile, 'x'.repeat(1_300_000)); // some 10,000 files
  expect((await flagsAfter([], ['publish', site, '--bucket', 'b'], env)).execArgv).toEqual([]);
  expect((await flagsAfter([], ['publish', '--bucket', 'b', site], env)).execArgv).toEqual(restarted); // not sure which is the folder
  expect((await flagsAfter([], ['build', site], env)).execArgv).toEqual(restarts ? ['--max-semi-space-size=16'] : []);
  await writeFile(cacheFile, 'x'.repeat(2_200_000));
  expect((await flagsAfter([], ['publish', site, '--bucket', 'b'], env)).execArgv).toEqual(restarted);
});
