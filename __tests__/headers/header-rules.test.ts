import { contentTypeFor } from '../../lib/headers/content-type.js';
import { CACHE_IMMUTABLE, CACHE_MODERATE, CACHE_REVALIDATE, compileHeaderPolicy } from '../../lib/headers/header-rules.js';
import { headersFingerprint } from '../../lib/headers/object-headers.js';

test.each([
  ['a.html', 'text/html; charset=utf-8'],
  ['a.JS', 'text/javascript; charset=utf-8'],
  ['a.mjs', 'text/javascript; charset=utf-8'],
  ['a.wasm', 'application/wasm'],
  ['a.webmanifest', 'application/manifest+json; charset=utf-8'],
  ['a.woff2', 'font/woff2'],
  ['a.avif', 'image/avif'],
  ['a.svg', 'image/svg+xml; charset=utf-8'],
  ['a.atom', 'application/atom+xml; charset=utf-8'],
  ['a.xml', 'application/xml; charset=utf-8'],
  ['a.ico', 'image/x-icon'],
  ['dir.d/README', 'application/octet-stream'],
  ['a.weird', 'application/octet-stream'],
])('contentTypeFor(%s) = %s', (file, type) => {
  expect(contentTypeFor(file)).toBe(type);
});

describe('header rules', () => {
  test('defaults: pages and feeds revalidate, fingerprinted assets are immutable, the rest an hour', () => {
    const policy = compileHeaderPolicy();
    expect(policy.headersFor('blog/post.html').cacheControl).toBe(CACHE_REVALIDATE);
    expect(policy.headersFor('feed.xml').cacheControl).toBe(CACHE_REVALIDATE);
    expect(policy.headersFor('assets/app.3f9a1c2e.css').cacheControl).toBe(CACHE_IMMUTABLE);
    expect(policy.headersFor('assets/logo-8d3b0f1a9c.svg').cacheControl).toBe(CACHE_IMMUTABLE);
    expect(policy.headersFor('report-20240101.pdf').cacheControl).toBe(CACHE_MODERATE); // a date, not a hash
    expect(policy.headersFor('page.3f9a1c2e.html').cacheControl).toBe(CACHE_REVALIDATE); // pages never immutable
    expect(policy.headersFor('style.css').cacheControl).toBe(CACHE_MODERATE);
  });

  test('user rules come first, per header; unset headers fall through to the defaults', () => {
    const policy = compileHeaderPolicy({
      rules: [
        { match: 'downloads/**', contentDisposition: 'attachment' },
        { match: '**/*.pdf', cacheControl: 'public, max-age=60' },
        { match: '**/*.pdf', cacheControl: 'never reached' },
        { match: ['**/*.gmi', 'special'], contentType: 'text/gemini' },
      ],
    });
    expect(policy.headersFor('downloads/a.pdf')).toEqual({ contentType: 'application/pdf', cacheControl: 'public, max-age=60', contentDisposition: 'attachment' });
    expect(policy.headersFor('downloads/b.zip')).toEqual({ contentType: 'application/zip', cacheControl: CACHE_MODERATE, contentDisposition: 'attachment' });
    expect(policy.headersFor('special').contentType).toBe('text/gemini');
  });

  test('gzip only when compression is on, only for compressible types, and a rule can turn it off', () => {
    expect(compileHeaderPolicy().gzipFor('a.html')).toBe(false);
    const on = compileHeaderPolicy({ gzip: true, rules: [{ match: 'raw/**', gzip: false }] });
    expect(on.gzipFor('a.html')).toBe(true);
    expect(on.headersFor('a.css').contentEncoding).toBe('gzip');
    expect(on.gzipFor('a.png')).toBe(false);
    expect(on.gzipFor('raw/a.html')).toBe(false);
  });

  test('the fingerprint changes with any header and not with key order', () => {
    const a = headersFingerprint({ contentType: 'text/html', cacheControl: 'x' });
    expect(headersFingerprint({ cacheControl: 'x', contentType: 'text/html' })).toBe(a);
    expect(headersFingerprint({ contentType: 'text/html', cacheControl: 'y' })).not.toBe(a);
  });
});

test('without user rules, headers shared by file-name class are the ones computed for each key', () => {
  const names = ['index.html', 'a/b/page.htm', 'A.HTML', '.html', 'x/.html', '.eslintrc.json', 'LICENSE', 'dir.d/README', 'file.', 'feed.xml', 'app.3f9a1c2e.css',
    'app.css', 'logo-8d3b0f1a9c.svg', 'logo.svg', 'page.3f9a1c2e.html', 'x/y/photo.JPG', 'photo.jpg', 'a.b.c.txt', 'archive.tar.gz', 'deadbeef12.js', 'v1.2.3.js'];
  for (const gzip of [false, true]) {
    const shared = compileHeaderPolicy({ gzip });
    // A user rule that matches nothing: every key is computed on its own.
    const computed = compileHeaderPolicy({ gzip, rules: [{ match: 'no/such/file', cacheControl: 'private' }] });
    for (const prefix of ['', 'deep/er/']) {
      for (const name of names) expect([prefix + name, shared.headersFor(prefix + name)]).toEqual([prefix + name, computed.headersFor(prefix + name)]);
    }
  }
  const policy = compileHeaderPolicy();
  expect(policy.headersFor('a/x.css')).toBe(policy.headersFor('b/y.css'));
  expect(Object.isFrozen(policy.headersFor('a/x.css'))).toBe(true);
});
