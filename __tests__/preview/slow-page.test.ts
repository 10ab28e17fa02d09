/** A page that renders for long does not stall the preview: pages render in a worker, stopped at the page time limit. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fetchRaw, REPO_ROOT, tempFolder, waitFor } from './support/http.js';

const LIMIT_SECONDS = 2;
// Passes the Markdown limits, yet micromark 4 spends about half a millisecond on each `[a]` without a definition:
// seconds for these 80 KB, with little memory.
const SLOW_PAGE = '---\ntitle: Lent\n---\n' + '[a] '.repeat(20000);

describe('fleuron preview with a slow page', () => {
  let child: ChildProcess | undefined;
  let root: string;
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    await rm(root, { recursive: true, force: true });
  });

  it('answers requests while the page renders, then stops it at the time limit naming the file', async () => {
    root = await tempFolder();
    const src = path.join(root, 'src');
    await mkdir(src, { recursive: true });
    await writeFile(path.join(src, 'fleuron.yaml'), `title: Essai\nmarkdown:\n  pageTimeLimitSeconds: ${LIMIT_SECONDS}\n`);
    await writeFile(path.join(src, 'index.md'), '# Accueil\n\nBonjour.\n');
    child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/fleuron.js'), 'preview', src, '--port', '0', '--out', path.join(root, 'out')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? root, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor('the URL', async () => /preview: http:\/\/127\.0\.0\.1:\d+\//.test(stdout) || child!.exitCode !== null).catch((error: Error) => {
      throw new Error(`${error.message}\nstdout: ${stdout}\nstderr: ${stderr}`);
    });
    const url = /preview: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)![1]!;

    await writeFile(path.join(src, 'lent.md'), SLOW_PAGE);
    // Ask for the home page again and again until the build gives up on the slow page.
    const answered: number[] = [];
    let failedAt: number | undefined;
    await waitFor(
      'the time limit',
      async () => {
        const home = await fetchRaw(url, '/');
        if (home.status === 200) answered.push(Date.now());
        if (/the build failed/.test(stderr) && failedAt === undefined) failedAt = Date.now();
        return failedAt !== undefined;
      },
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nstderr: ${stderr}`);
    });
    expect(stderr).toMatch(/src\/lent\.md: rendering took more than 2 s, the limit for one page/);
    // The slow page rendered for the LIMIT_SECONDS before the failure, which was seen at most one poll (100 ms and a
    // request) later: requests answered from 1.5 s to 0.2 s before it was seen were answered while the page rendered.
    expect(answered.filter((at) => at > failedAt! - 1500 && at <= failedAt! - 200).length).toBeGreaterThan(0);
    // Still serving the last good build, and still alive.
    expect((await fetchRaw(url, '/')).status).toBe(200);
    expect((await fetchRaw(url, '/lent.html')).status).toBe(404);
    expect(child.exitCode).toBeNull();
  }, 90_000);
});
