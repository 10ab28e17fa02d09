/** The example site, built and published by the CLI, then browsed through the server's website endpoint. */
import fg from 'fast-glob';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cliEnv, createTestBucket, headObject, websiteGet } from '../support/test-s3.js';
import { jsonSummary, REPO_ROOT, runCli } from '../support/run-cli.js';

describe('the published example site', () => {
  let bucket: string;
  let work: string;

  beforeAll(async () => {
    bucket = await createTestBucket('example');
    work = await mkdtemp(path.join(os.tmpdir(), 'example-'));
    const result = await runCli(['publish', path.join(REPO_ROOT, 'site-src'), '--out', path.join(work, 'public'), '--json'], { cwd: work, env: cliEnv(bucket) });
    expect(result.code).toBe(0);
    expect(jsonSummary(result)).toMatchObject({ ok: true, website: 'configured' });
  });

  test('home page at /, with its headers', async () => {
    const home = await websiteGet(bucket, '/');
    expect(home.status).toBe(200);
    expect(home.body.toString()).toContain('La Ruche numérique');
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(home.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
  });

  test('a nested index and a page whose name has accents and spaces', async () => {
    expect((await websiteGet(bucket, '/documentation/')).status).toBe(200);
    const meeting = await websiteGet(bucket, `/reunions/${encodeURIComponent('Réunion de janvier.html')}`);
    expect(meeting.status).toBe(200);
    expect(meeting.body.toString()).toContain('<html lang="fr"');
  });

  test('a missing page answers 404 with the error document', async () => {
    const missing = await websiteGet(bucket, '/pas-ici.html');
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toContain('Page introuvable');
  });

  test("a page's alias redirects to it", async () => {
    const alias = await websiteGet(bucket, '/a-propos.html');
    expect([301, 302]).toContain(alias.status);
    expect(alias.headers.location).toMatch(/qui-sommes-nous\.html$/);
  });

  test('the stylesheet has a fingerprinted name and is served as CSS, cached for a year', async () => {
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec((await websiteGet(bucket, '/')).body.toString())![1]!;
    expect(href).toMatch(/^theme\.[0-9a-f]{8,}\.css$/);
    expect((await headObject(bucket, href)).ContentType).toBe('text/css; charset=utf-8');
    const css = await websiteGet(bucket, `/${href}`);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  test("no published page carries a script (the preview's reload script never reaches a page)", async () => {
    const pages = await fg('**/*.html', { cwd: path.join(work, 'public') });
    expect(pages.length).toBeGreaterThan(10);
    for (const page of pages) {
      const body = (await websiteGet(bucket, `/${page.split('/').map(encodeURIComponent).join('/')}`)).body.toString();
      expect({ page, script: /<script|__fleuron/i.test(body) }).toEqual({ page, script: false });
    }
  });
});
