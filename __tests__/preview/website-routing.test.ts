/** The web endpoint's routing as a pure function: Garage's path_to_keys cases, the implicit 302, redirects, 404. */
import type { SiteRedirect } from '../../lib/website/redirects.js';
import { redirectsByKey } from '../../lib/preview/site-settings.js';
import { pathOfUrl, pathToKey, percentDecodeUtf8, routeRequest, type WebsiteRules } from '../../lib/preview/website-routing.js';

const files = new Set(['index.html', '404.html', 'about.html', 'docs/index.html', 'docs/a.html', 'file', 'file/index.html', 'reunions/Réunion 2 février.html']);
const has = (key: string) => files.has(key);
const redirect = (from: string, to: string, status = 301): SiteRedirect => ({ from, to, status });
const rules = (extra: Partial<WebsiteRules> = {}): WebsiteRules => ({
  indexDocument: 'index.html',
  errorDocument: '404.html',
  redirects: redirectsByKey(
    [redirect('a-propos.html', 'about.html'), redirect('old/', 'docs/', 308), redirect('about.html', 'elsewhere.html'), redirect('ext.html', 'https://example.org/x?y=1', 302)],
    'index.html',
  ),
  ...extra,
});

describe('pathToKey (Garage path_to_keys)', () => {
  it('gives the index document for the root and for paths ending in /', () => {
    expect(pathToKey('/', 'index.html')).toEqual({ key: 'index.html' });
    expect(pathToKey('/%20t/', 'index.html')).toEqual({ key: ' t/index.html' });
    expect(pathToKey('/docs/', 'accueil.htm')).toEqual({ key: 'docs/accueil.htm' });
  });

  it('offers the implicit redirect for a path without a trailing slash, keeping the raw path in the URL', () => {
    expect(pathToKey('/file%20.jpg', 'index.html')).toEqual({ key: 'file .jpg', implicitRedirect: { key: 'file .jpg/index.html', location: '/file%20.jpg/' } });
    expect(pathToKey('/hello', 'index.html')).toEqual({ key: 'hello', implicitRedirect: { key: 'hello/index.html', location: '/hello/' } });
  });

  it('refuses relative paths and invalid UTF-8', () => {
    expect(pathToKey('', 'index.html')).toEqual({ error: expect.any(String) });
    expect(pathToKey('i/am/relative', 'index.html')).toEqual({ error: expect.any(String) });
    expect(pathToKey('/%C3%28', 'index.html')).toEqual({ error: expect.stringContaining('UTF-8') });
  });

  it('percent-decodes byte by byte, leaving + and stray % as they are', () => {
    expect(percentDecodeUtf8('/R%C3%A9union%202%20f%C3%A9vrier.html')).toBe('/Réunion 2 février.html');
    expect(percentDecodeUtf8('/a+b%zz%2')).toBe('/a+b%zz%2');
    expect(percentDecodeUtf8('/%2F')).toBe('//');
    expect(percentDecodeUtf8('/déjà')).toBe('/déjà');
  });

  it('drops the query string and fragment', () => {
    expect(pathOfUrl('/a.html?x=1#y')).toBe('/a.html');
    expect(pathOfUrl('/a.html#y')).toBe('/a.html');
    expect(pathOfUrl('/?')).toBe('/');
  });
});

describe('routeRequest', () => {
  it('serves stored keys, the index document and nested indexes', () => {
    expect(routeRequest('GET', '/', has, rules())).toEqual({ kind: 'object', key: 'index.html' });
    expect(routeRequest('GET', '/docs/', has, rules())).toEqual({ kind: 'object', key: 'docs/index.html' });
    expect(routeRequest('HEAD', '/docs/a.html?v=2', has, rules())).toEqual({ kind: 'object', key: 'docs/a.html' });
    expect(routeRequest('GET', '/reunions/R%C3%A9union%202%20f%C3%A9vrier.html', has, rules())).toEqual({ kind: 'object', key: 'reunions/Réunion 2 février.html' });
  });

  it('answers /dir with 302 to /dir/ only when dir/index.html exists, and serves the key dir when it exists', () => {
    expect(routeRequest('GET', '/docs', has, rules())).toEqual({ kind: 'redirect', status: 302, location: '/docs/', reason: 'folder' });
    expect(routeRequest('GET', '/docs?x=1', has, rules())).toEqual({ kind: 'redirect', status: 302, location: '/docs/', reason: 'folder' });
    expect(routeRequest('HEAD', '/docs', has, rules())).toEqual({ kind: 'redirect', status: 302, location: '/docs/', reason: 'folder' });
    expect(routeRequest('GET', '/file', has, rules())).toEqual({ kind: 'object', key: 'file' });
    expect(routeRequest('GET', '/nothing', has, rules())).toEqual({ kind: 'not-found', key: 'nothing', errorDocument: '404.html' });
  });

  it('does not normalise Unicode in requests (Garage does not): an NFD path misses the NFC key', () => {
    const nfd = encodeURI('/reunions/Réunion 2 février.html'.normalize('NFD'));
    expect(routeRequest('GET', nfd, has, rules()).kind).toBe('not-found');
  });

  it('applies a redirect only where no file exists, with its status and Location /<to> (absolute URLs as they are)', () => {
    expect(routeRequest('GET', '/a-propos.html', has, rules())).toEqual({ kind: 'redirect', status: 301, location: '/about.html', reason: 'redirect' });
    expect(routeRequest('GET', '/about.html', has, rules())).toEqual({ kind: 'object', key: 'about.html' });
    expect(routeRequest('GET', '/ext.html', has, rules())).toEqual({ kind: 'redirect', status: 302, location: 'https://example.org/x?y=1', reason: 'redirect' });
  });

  it('treats a folder redirect as its index document, so /old → /old/ → the target', () => {
    expect(routeRequest('GET', '/old/', has, rules())).toEqual({ kind: 'redirect', status: 308, location: '/docs/', reason: 'redirect' });
    expect(routeRequest('GET', '/old', has, rules())).toEqual({ kind: 'redirect', status: 302, location: '/old/', reason: 'folder' });
  });

  it('names the error document only when it exists', () => {
    expect(routeRequest('GET', '/missing.html', has, rules({ errorDocument: 'erreur.html' }))).toEqual({ kind: 'not-found', key: 'missing.html' });
    expect(routeRequest('GET', '/missing.html', has, rules({ errorDocument: undefined }))).toEqual({ kind: 'not-found', key: 'missing.html' });
  });

  it('allows GET, HEAD and OPTIONS only; OPTIONS is a CORS preflight', () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) expect(routeRequest(method, '/', has, rules())).toEqual({ kind: 'method-not-allowed' });
    expect(routeRequest('OPTIONS', '/', has, rules())).toEqual({ kind: 'preflight' });
  });

  it('answers a bad request for a path that is not UTF-8', () => {
    expect(routeRequest('GET', '/%FF', has, rules())).toEqual({ kind: 'bad-request', message: expect.any(String) });
  });
});
