/**
 * bin/young-generation.js: on Node 22+ (with process.execve), `build`, `publish` and `preview` go on in a process
 * started with 16 MB semi-spaces; other commands, Node 20, and a process given the flag already are left alone.
 * A child process runs a script that calls it and prints the flags it ends up with.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '../builder/support/temp-site.js';

const run = promisify(execFile);
const restarts = typeof (process as { execve?: unknown }).execve === 'function' && Number(process.versions.node.split('.')[0]) >= 22;

async function flagsAfter(nodeFlags: string[], args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ execArgv: string[]; args: string[] }> {
  const dir = await tempDir();
  const probe = path.join(dir, 'probe.mjs');
  await writeFile(probe, `import { startWithSmallYoungGeneration } from ${JSON.stringify(path.resolve('bin/young-generation.js'))};\nstartWithSmallYoungGeneration();\nconsole.log(JSON.stringify({ execArgv: process.execArgv, args: process.argv.slice(2) }));\n`);
  const { stdout } = await run(process.execPath, [...nodeFlags, probe, ...args], { env });
  return JSON.parse(stdout) as { execArgv: string[]; args: string[] };
}

it.each(['build', 'publish', 'preview'])(`%s runs with 16 MB semi-spaces ${restarts ? '(this Node restarts)' : '(not on this Node)'}, its arguments unchanged`, async (command) => {
  const after = await flagsAfter(['--no-warnings'], [command, 'site', '--out', 'public']);
  expect(after.args).toEqual([command, 'site', '--out', 'public']);
  expect(after.execArgv).toEqual(restarts ? ['--max-semi-space-size=16', '--no-warnings'] : ['--no-warnings']);
});

it('leaves other commands, and a process given a semi-space size (flag or NODE_OPTIONS), as they are', async () => {
  expect((await flagsAfter([], ['--version'])).execArgv).toEqual([]);
  // A folder named like a command, given to another command (any argument equal to `build` used to restart).
  expect((await flagsAfter([], ['history', 'build'])).execArgv).toEqual([]);
  expect((await flagsAfter([], ['--debug', 'build', 'site'])).execArgv).toEqual(restarts ? ['--max-semi-space-size=16'] : []);
  expect((await flagsAfter(['--max-semi-space-size=32'], ['build'])).execArgv).toEqual(['--max-semi-space-size=32']);
  expect((await flagsAfter([], ['build'], { ...process.env, NODE_OPTIONS: '--max_semi_space_size=8' })).execArgv).toEqual([]);
});
