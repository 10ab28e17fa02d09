/** Runs the built CLI as a user does: a child process, real files, no TTY. */
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PublishSummary } from '../../lib/publish/publish.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO_ROOT, 'bin/fleuron.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Every output of every CLI run of this test process, so a test can grep them all for the secret. */
export const allOutputs: string[] = [];

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  // A clean environment: only what the test gives, plus what Node needs to run.
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), CI: 'true', XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? os.tmpdir() };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO_ROOT, env: { ...base, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      allOutputs.push(stdout, stderr);
      // Every output of the whole run, for global-teardown.js to grep for the test secret.
      if (process.env.FLEURON_TEST_OUTPUT_LOG) appendFileSync(process.env.FLEURON_TEST_OUTPUT_LOG, `${stdout}\n${stderr}\n`);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Parses the `--json` summary a publish prints (the library's own summary type, plus the dry-run plan and failure). */
export function jsonSummary(result: CliResult): PublishSummary & {
  plan?: { kind: string; key: string; reason: string }[];
  error?: { code: string; message: string };
} {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
}

/** Writes a folder of files (`{ 'a/b.html': '<p>' }`) under a new temporary directory and returns its path. */
export async function makeFolder(files: Record<string, string | Buffer>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'fleuron-site-'));
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return root;
}
