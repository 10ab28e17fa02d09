/**
 * `fleuron preview` over HTTP, against the built example site: every web-endpoint rule of
 * ../shared/GARAGE.md, with the headers the publisher's own rules give each key.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { compileHeaderPolicy } from '../../lib/headers/header-rules.js';
import { scanBuiltFiles } from '../../lib/preview/built-site.js';
import { startPreview, type Preview } from '../../lib/preview/index.js';
import { copyExampleSite, fetchRaw, rawExchange, tempFolder, urlPathOf } from './support/http.js';

let root: string;
let outDir: string;
let preview: Preview;
let keys: string[];
const policy = compileHeaderPolicy();
const md5 = (body: Buffer) => createHash('md5').update(body).digest('hex');
const builtFile = (key: string) => readFile(path.join(outDir, key));
const get = (rawPath: string, headers: Record<string, string> = {}) => fetchRaw(preview.url, rawPath, { headers });

beforeAll(async () => {
  root = await tempFolder();
  const sourceDir = await copyExampleSite(root);
  outDir = path.join(root, 'preview');
  preview = await startPreview({ sourceDir, outDir, cacheDir: path.join(root, 'cache'), port: 0, reload: false, watch: false });
  keys = [...(await scanBuiltFiles(outDir, () => true)).keys()];
});

afterAll(async () => {
  await preview?.close();
  await rm(root, { recursive: true, force: true });
});

describe('fleuron preview of the example site', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(new URL(preview.url).hostname).toBe('127.0.0.1');
  });

  it('serves / with the index document, as stored: body, ETag (MD5 of the body), Last-Modified, Content-Length', async () => {
    const response = await get('/');
    const stored = await builtFile('index.html');
    expect(response.status).toBe(200);
    expect(response.body.equals(stored)).toBe(true);
    expect(response.headers.etag).toBe(`"${md5(stored)}"`);
    expect(Number(response.headers['content-length'])).toBe(stored.length);
    expect(new Date(response.headers['last-modified']!).getTime()).not.toBeNaN();
    expect(response.headers['accept-ranges']).toBe('bytes');
    expect(response.headers['content-encoding']).toBeUndefined();
  });

  it('serves nested index documents for paths ending in /', async () => {
    for (const folder of ['documentation/', 'reunions/', 'blog/']) {
      const response = await get(`/${folder}`);
      expect({ folder, status: response.status }).toEqual({ folder, status: 200 });
      expect(response.body.equals(await builtFile(`${folder}index.html`))).toBe(true);
    }
  });

  it('answers /dir with 302 to /dir/ when dir/index.html exists (Location without the query string)', async () => {
    for (const rawPath of ['/documentation', '/documentation?page=2']) {
      const response = await get(rawPath);
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe('/documentation/');
      expect(response.body.length).toBe(0);
    }
    const head = await fetchRaw(preview.url, '/reunions', { method: 'HEAD' });
    expect([head.status, head.headers.location]).toEqual([302, '/reunions/']);
  });

  it('answers a missing key with status 404 and the error document as body', async () => {
    const errorDocument = await builtFile('404.html');
    for (const rawPath of ['/nope.html', '/nope', '/nope/', '/documentation/nope.html', '/documentation/nope/']) {
      const response = await get(rawPath);
      expect({ rawPath, status: response.status }).toEqual({ rawPath, status: 404 });
      expect(response.body.equals(errorDocument)).toBe(true);
      expect(response.headers['content-type']).toBe(policy.headersFor('404.html').contentType);
      expect(response.headers['x-garage-error']).toBe('Key not found');
    }
  });

  it('answers HEAD on a missing key with 404 and no body at all', async () => {
    const raw = await rawExchange(preview.url, `HEAD /nope.html HTTP/1.1\r\nHost: 127.0.0.1:${preview.port}\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 404 /);
    const [, after] = raw.split('\r\n\r\n');
    expect(after).toBe('');
  });

  it('answers HEAD on a page with its headers and no body', async () => {
    const stored = await builtFile('valeurs.html');
    const raw = await rawExchange(preview.url, `HEAD /valeurs.html HTTP/1.1\r\nHost: 127.0.0.1:${preview.port}\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 200 /);
    expect(raw).toContain(`Content-Length: ${stored.length}\r\n`);
    expect(raw).toContain(`ETag: "${md5(stored)}"\r\n`);
    expect(raw.split('\r\n\r\n')[1]).toBe('');
  });

  it('answers 304 to If-None-Match with the current ETag, and 200 to a stale one', async () => {
    const first = await get('/valeurs.html');
    const etag = first.headers.etag!;
    const again = await get('/valeurs.html', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect((await get('/valeurs.html', { 'If-None-Match': '"0000"' })).status).toBe(200);
    expect((await get('/valeurs.html', { 'If-Modified-Since': first.headers['last-modified']! })).status).toBe(304);
  });

  it('gives every published key the Content-Type and Cache-Control of compileHeaderPolicy().headersFor(key)', async () => {
    const published = keys.filter((key) => !key.startsWith('.'));
    expect(published).toEqual(expect.arrayContaining(['index.html', expect.stringMatching(/^theme\.[0-9a-f]{8,}\.css$/), 'images/ruche.svg', 'feed.xml', 'sitemap.xml']));
    for (const key of published) {
      const response = await get(urlPathOf(key));
      const wanted = policy.headersFor(key);
      expect({ key, status: response.status, type: response.headers['content-type'], cache: response.headers['cache-control'] }).toEqual({
        key,
        status: 200,
        type: wanted.contentType,
        cache: wanted.cacheControl,
      });
      expect(response.body.equals(await builtFile(key))).toBe(true);
    }
  });

  it('percent-decodes paths: the accented names with spaces under reunions/ are served', async () => {
    const meetings = keys.filter((key) => key.startsWith('reunions/') && key !== 'reunions/index.html');
    expect(meetings.length).toBeGreaterThanOrEqual(3);
    expect(meetings.some((key) => /[éè]/.test(key) && key.includes(' '))).toBe(true);
    for (const key of meetings) {
      const response = await get(urlPathOf(key));
      expect({ key, status: response.status }).toEqual({ key, status: 200 });
      expect(response.body.equals(await builtFile(key))).toBe(true);
    }
    // As a browser sends it from the folder index's links.
    const index = (await get('/reunions/')).body.toString();
    const hrefs = [...index.matchAll(/href="([^"#]+\.html)"/g)].map((match) => match[1]!).filter((href) => !href.startsWith('..') && !href.includes('/'));
    expect(hrefs.length).toBeGreaterThanOrEqual(3);
    for (const href of hrefs) expect({ href, status: (await get(`/reunions/${href}`)).status }).toEqual({ href, status: 200 });
  });

  it('redirects the aliases of a page (qui-sommes-nous.md) with 301 to /<page>', async () => {
    for (const alias of ['/a-propos.html', '/ancien/equipe.html']) {
      const response = await get(alias);
      expect({ alias, status: response.status, location: response.headers.location }).toEqual({ alias, status: 301, location: '/qui-sommes-nous.html' });
    }
  });

  it('ignores the query string', async () => {
    const plain = await get('/valeurs.html');
    const withQuery = await get('/valeurs.html?utm_source=test&x=%20');
    expect(withQuery.status).toBe(200);
    expect(withQuery.headers.etag).toBe(plain.headers.etag);
    expect(withQuery.body.equals(plain.body)).toBe(true);
  });

  it('answers POST, PUT and DELETE with 405 and Allow: GET, HEAD, OPTIONS', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await fetchRaw(preview.url, '/', { method, body: 'x' });
      expect({ method, status: response.status, allow: response.headers.allow }).toEqual({ method, status: 405, allow: 'GET, HEAD, OPTIONS' });
    }
  });

  it('answers OPTIONS as a preflight that matches no CORS rule', async () => {
    expect((await fetchRaw(preview.url, '/', { method: 'OPTIONS' })).status).toBe(400);
    expect((await fetchRaw(preview.url, '/', { method: 'OPTIONS', headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET' } })).status).toBe(403);
  });

  it('serves a single byte range with 206, and 416 past the end', async () => {
    const stylesheet = keys.find((key) => /^theme\.[0-9a-f]{8,}\.css$/.test(key))!;
    const stored = await builtFile(stylesheet);
    const part = await get(`/${stylesheet}`, { Range: 'bytes=0-99' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-99/${stored.length}`);
    expect(part.body.equals(stored.subarray(0, 100))).toBe(true);
    const past = await get(`/${stylesheet}`, { Range: `bytes=${stored.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${stored.length}`);
  });

  it('does not serve what is never published (the builder\'s .fleuron/aliases.json)', async () => {
    expect(keys).toContain('.fleuron/aliases.json');
    expect((await get('/.fleuron/aliases.json')).status).toBe(404);
  });

  it('answers a path that is not UTF-8 with 400', async () => {
    expect((await get('/%FF.html')).status).toBe(400);
  });

  it('adds no reload script and no version endpoint with reload off', async () => {
    expect((await get('/')).body.toString()).not.toContain('<script');
    expect((await get('/__fleuron/version')).status).toBe(404);
  });
});
