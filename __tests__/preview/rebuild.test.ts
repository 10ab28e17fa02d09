/** The preview rebuilds when a source changes, and the reload script lives in preview responses only. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startPreview, type Preview } from '../../lib/preview/index.js';
import { scanBuiltFiles } from '../../lib/preview/built-site.js';
import { VERSION_PATH } from '../../lib/preview/reload-script.js';
import { copyExampleSite, fetchRaw, REPO_ROOT, tempFolder, urlPathOf, waitFor } from './support/http.js';

let root: string;
let sourceDir: string;
let outDir: string;
let preview: Preview;
const get = (rawPath: string) => fetchRaw(preview.url, rawPath);

beforeAll(async () => {
  root = await tempFolder();
  sourceDir = await copyExampleSite(root);
  outDir = path.join(root, 'preview');
  preview = await startPreview({ sourceDir, outDir, cacheDir: path.join(root, 'cache'), port: 0, reload: true, watch: true, debounceMs: 50 });
});

afterAll(async () => {
  await preview?.close();
  await rm(root, { recursive: true, force: true });
});

describe('fleuron preview while editing', () => {
  it('adds the reload script to HTML responses, never to the built files or other types', async () => {
    const page = (await get('/')).body.toString();
    expect(page).toMatch(/<script>[^]*\/__fleuron\/version[^]*<\/script>\s*<\/body>/);
    expect(await readFile(path.join(outDir, 'index.html'), 'utf8')).not.toContain('<script');
    const stylesheet = /<link rel="stylesheet" href="([^"]+)">/.exec(page)![1]!;
    expect((await get(`/${stylesheet}`)).status).toBe(200);
    expect((await get(`/${stylesheet}`)).body.toString()).not.toContain('<script');
    const notFound = await get('/nope.html');
    expect(notFound.status).toBe(404);
    expect(notFound.body.toString()).not.toContain('<script');
    const version = await get(VERSION_PATH);
    expect([version.status, version.headers['cache-control'], version.body.toString()]).toEqual([200, 'no-store', String(preview.version)]);
  });

  it('leaves nothing of the reload script in the built folder, whatever it served (so nothing of it can be published)', async () => {
    const keys = [...(await scanBuiltFiles(outDir, () => true)).keys()];
    for (const key of keys) await get(urlPathOf(key));
    expect(keys.length).toBeGreaterThan(10);
    for (const key of keys) {
      const body = await readFile(path.join(outDir, key), 'utf8');
      expect({ key, script: /<script|__fleuron/i.test(body) }).toEqual({ key, script: false });
    }
  });

  it('rebuilds after a new source file is written, and the next request shows it', async () => {
    const before = preview.version;
    expect((await get('/nouvelle-page.html')).status).toBe(404);
    await writeFile(path.join(sourceDir, 'nouvelle-page.md'), '---\ntitle: Nouvelle page\n---\n\nÉcrite pendant la prévisualisation.\n');
    await waitFor('the new page', async () => (await get('/nouvelle-page.html')).status === 200);
    expect((await get('/nouvelle-page.html')).body.toString()).toContain('Écrite pendant la prévisualisation.');
    expect(preview.version).toBeGreaterThan(before);
    expect((await get(VERSION_PATH)).body.toString()).toBe(String(preview.version));
  });

  it('shows a change to an existing page on the next reload, with a new ETag', async () => {
    const first = await get('/valeurs.html');
    const file = path.join(sourceDir, 'valeurs.md');
    await writeFile(file, (await readFile(file, 'utf8')) + '\nUne phrase ajoutée à l’instant.\n');
    await waitFor('the changed page', async () => (await get('/valeurs.html')).body.toString().includes('Une phrase ajoutée à l’instant.'));
    const second = await get('/valeurs.html');
    expect(second.headers.etag).not.toBe(first.headers.etag);
    expect((await fetchRaw(preview.url, '/valeurs.html', { headers: { 'If-None-Match': first.headers.etag! } })).status).toBe(200);
  });

  it('keeps serving the last good build when a rebuild fails', async () => {
    const broken = path.join(sourceDir, 'casse.md');
    const version = preview.version;
    await writeFile(broken, '---\ntitle: Cassée\n---\n\n[lien mort](nulle-part.md)\n');
    let outcome = await preview.nextBuild();
    // A late file event of the previous edit may have built once more first: that build is the last good one.
    let lastGood = version;
    while (outcome.ok) {
      lastGood = outcome.version;
      outcome = await preview.nextBuild();
    }
    expect(outcome.ok).toBe(false);
    expect(preview.version).toBe(lastGood);
    expect((await get('/')).status).toBe(200);
    await rm(broken);
    await waitFor('the build after the fix', async () => preview.version > lastGood);
  });
});

describe('fleuron preview on the command line', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
  });

  it('prints the URL on 127.0.0.1, serves the site, and stops on SIGTERM', async () => {
    const cliRoot = await tempFolder();
    const src = await copyExampleSite(cliRoot);
    child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/fleuron.js'), 'preview', src, '--port', '0', '--no-watch', '--out', path.join(cliRoot, 'out')], {
      cwd: cliRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cliRoot, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    await waitFor('the URL', async () => /preview: http:\/\/127\.0\.0\.1:\d+\//.test(stdout) || child!.exitCode !== null).catch((error: Error) => {
      throw new Error(`${error.message}\nstdout: ${stdout}\nstderr: ${stderr}`);
    });
    expect({ exitCode: child.exitCode, stderr }).toEqual({ exitCode: null, stderr: expect.any(String) });
    const url = /preview: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)![1]!;
    const home = await fetchRaw(url, '/');
    expect(home.status).toBe(200);
    expect(home.body.toString()).toContain('La Ruche numérique');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await rm(cliRoot, { recursive: true, force: true });
  });
});
