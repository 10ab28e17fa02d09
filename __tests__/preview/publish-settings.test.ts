/**
 * The preview follows the site's publish settings: header rules and gzip from `publish:` in
 * fleuron.yaml, the error document, `redirects:`, and Deuxfleurs' deuxfleurs.toml.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { compileHeaderPolicy, type HeaderRule } from '../../lib/headers/header-rules.js';
import { startPreview, type Preview } from '../../lib/preview/index.js';
import { deterministicGzip } from '../../lib/publish/body-hash.js';
import { writeSite } from '../builder/support/temp-site.js';
import { fetchRaw, tempFolder } from './support/http.js';

const rules: HeaderRule[] = [
  { match: '**/*.txt', cacheControl: 'no-cache', contentLanguage: 'fr' },
  { match: 'docs/**', contentDisposition: 'attachment' },
];
const config = `title: Essai
language: fr
publish:
  gzip: true
  headers:
    - match: "**/*.txt"
      cacheControl: no-cache
      contentLanguage: fr
    - match: "docs/**"
      contentDisposition: attachment
  website:
    errorDocument: erreur.html
redirects:
  - { from: /vieux.html, to: /index.html, status: 302 }
  - { from: /ailleurs, to: "https://example.org/page?x=1", status: 307 }
  - { from: /ancien/, to: /docs/, status: 308 }
`;

let root: string;
let outDir: string;
let preview: Preview;
const get = (rawPath: string, headers: Record<string, string> = {}) => fetchRaw(preview.url, rawPath, { headers });

beforeAll(async () => {
  root = await tempFolder();
  const sourceDir = await writeSite(
    {
      'fleuron.yaml': config,
      'deuxfleurs.toml': '[[redirects]]\nfrom = "/dx.html"\nto = "/notes.txt"\n',
      'index.md': '---\ntitle: Accueil\n---\n\nBonjour.\n',
      'erreur.md': '---\ntitle: Introuvable\n---\n\nCette page n’existe pas.\n',
      'notes.txt': 'des notes\n'.repeat(50),
      'docs/guide.txt': 'un guide\n',
      'photo.bin': Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]),
    },
    path.join(root, 'src'),
  );
  outDir = path.join(root, 'preview');
  preview = await startPreview({ sourceDir, outDir, cacheDir: path.join(root, 'cache'), port: 0, reload: false, watch: false });
});

afterAll(async () => {
  await preview?.close();
  await rm(root, { recursive: true, force: true });
});

describe('fleuron preview with publish settings', () => {
  const policy = compileHeaderPolicy({ rules, gzip: true });

  it('serves text files gzip-compressed exactly as stored, with Content-Encoding: gzip and the ETag of the stored bytes', async () => {
    for (const key of ['index.html', 'notes.txt', 'docs/guide.txt']) {
      const response = await get(`/${key}`);
      const stored = deterministicGzip(await readFile(path.join(outDir, key)));
      expect({ key, encoding: response.headers['content-encoding'] }).toEqual({ key, encoding: 'gzip' });
      expect(response.body.equals(stored)).toBe(true);
      expect(response.headers.etag).toBe(`"${createHash('md5').update(stored).digest('hex')}"`);
    }
  });

  it('leaves binary files uncompressed', async () => {
    const response = await get('/photo.bin');
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body.equals(Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]))).toBe(true);
  });

  it('applies the user\'s header rules before the defaults, as the publisher does', async () => {
    for (const key of ['index.html', 'notes.txt', 'docs/guide.txt', 'photo.bin']) {
      const response = await get(`/${key}`);
      const wanted = policy.headersFor(key);
      expect({
        key,
        type: response.headers['content-type'],
        cache: response.headers['cache-control'],
        language: response.headers['content-language'],
        disposition: response.headers['content-disposition'],
        encoding: response.headers['content-encoding'],
      }).toEqual({ key, type: wanted.contentType, cache: wanted.cacheControl, language: wanted.contentLanguage, disposition: wanted.contentDisposition, encoding: wanted.contentEncoding });
    }
    expect((await get('/notes.txt')).headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing key with the configured error document (404)', async () => {
    const response = await get('/absent.html');
    expect(response.status).toBe(404);
    expect(response.body.equals(deterministicGzip(await readFile(path.join(outDir, 'erreur.html'))))).toBe(true);
    expect(response.headers['content-encoding']).toBe('gzip');
  });

  it('follows redirects: from fleuron.yaml with their status (absolute URLs as they are), and from deuxfleurs.toml', async () => {
    const cases: [string, number, string][] = [
      ['/vieux.html', 302, '/index.html'],
      ['/ailleurs', 307, 'https://example.org/page?x=1'],
      ['/ancien/', 308, '/docs/'],
      ['/ancien', 302, '/ancien/'],
      ['/dx.html', 301, '/notes.txt'],
    ];
    for (const [rawPath, status, location] of cases) {
      const response = await get(rawPath);
      expect({ rawPath, status: response.status, location: response.headers.location }).toEqual({ rawPath, status, location });
    }
  });
});
