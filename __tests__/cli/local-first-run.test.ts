/** The README's first run: build site-src, publish it to the embedded S3 server, print the URL, serve until Ctrl-C. */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CLI, REPO_ROOT } from '../support/run-cli.js';

const get = (url: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    http.get(url, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });

test('fleuron publish site-src --local --serve prints a URL where the site is served, and stops cleanly on Ctrl-C', async () => {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'first-run-'));
  const child = spawn(process.execPath, [CLI, 'publish', path.join(REPO_ROOT, 'site-src'), '--local', '--local-port', '0', '--serve'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^site: (http:\/\/127\.0\.0\.1:\d+\/ruche-site\/)$/m.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before printing the URL:\n${stdout}\n${stderr}`)));
  });
  try {
    expect(stdout).toMatch(/published s3:\/\/ruche-site\/: \d+ uploaded/);
    const home = await get(url);
    expect(home.status).toBe(200);
    expect(home.body).toContain('La Ruche numérique');
    const folder = await get(`${url}documentation/`);
    expect(folder.status).toBe(200);
    const missing = await get(`${url}nope.html`);
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('Page introuvable');
  } finally {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }
  await expect(get(url)).rejects.toThrow(); // the embedded server stopped with it
});
