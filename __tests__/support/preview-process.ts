/** `fleuron preview` as a user runs it, kept running: a child process in a project folder, its URL read from stdout. */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import { CLI } from './run-cli.js';

export interface PreviewProcess {
  url: string;
  port: number;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export async function startPreviewProcess(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<PreviewProcess> {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), CI: 'true', XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? os.tmpdir() };
  const child: ChildProcess = spawn(process.execPath, [CLI, 'preview', ...args], { cwd: options.cwd, env: { ...base, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fleuron preview did not start:\n${output}`)), 60000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /^preview: (http:\S+)$/m.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fleuron preview exited (${code}):\n${output}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          // Every output of the run is grepped for the test secret by global-teardown.js.
          if (process.env.FLEURON_TEST_OUTPUT_LOG) appendFileSync(process.env.FLEURON_TEST_OUTPUT_LOG, `${output}\n`);
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}
