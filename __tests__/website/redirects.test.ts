import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { routingRulesFor, sameWebsite } from '../../lib/website/bucket-website.js';
import { redirectObjects } from '../../lib/publish/redirect-objects.js';
import { mergeRedirects, parseRedirectList, readDeuxfleursToml, redirectLocation, relativeHref } from '../../lib/website/redirects.js';
import { FleuronError } from '../../lib/errors/fleuron-error.js';

test('parseRedirectList normalises paths and defaults to 301', () => {
  expect(parseRedirectList([{ from: '/old.html', to: '/new.html' }, { from: 'a/', to: 'https://example.org/x', status: 302 }], 'r')).toEqual([
    { from: 'old.html', to: 'new.html', status: 301 },
    { from: 'a/', to: 'https://example.org/x', status: 302 },
  ]);
});

test.each([
  [[{ from: '/a', to: '/b', status: 200 }], /status must be one of 301, 302, 303, 307, 308/],
  [[{ from: '', to: '/b' }], /from must be a path of this site/],
  [[{ from: '/a', to: '/b', code: 301 }], /unknown key "code"/],
  ['nope', /must be a list/],
])('invalid redirects %j are usage errors', (value, message) => {
  expect(() => parseRedirectList(value, 'fleuron.yaml: redirects')).toThrow(FleuronError);
  expect(() => parseRedirectList(value, 'fleuron.yaml: redirects')).toThrow(message);
});

test('later sources win for the same path; output sorted', () => {
  expect(mergeRedirects([{ from: 'b', to: 'x', status: 301 }, { from: 'a', to: 'y', status: 301 }], [{ from: 'b', to: 'z', status: 302 }])).toEqual([
    { from: 'a', to: 'y', status: 301 },
    { from: 'b', to: 'z', status: 302 },
  ]);
});

test.each([
  ['old.html', 'new.html', 'new.html'],
  ['ancien/equipe.html', 'qui-sommes-nous.html', '../qui-sommes-nous.html'],
  ['a/b/c.html', 'a/d.html', '../d.html'],
  ['x.html', 'réunions/compte rendu.html', 'r%C3%A9unions/compte%20rendu.html'],
  ['x.html', 'https://example.org/', 'https://example.org/'],
])('relativeHref(%j, %j) = %j', (from, to, href) => {
  expect(relativeHref(from, to)).toBe(href);
});

test('redirectLocation is rooted at the site root (Garage wants / or http(s)://)', () => {
  expect(redirectLocation({ from: 'a', to: 'docs/', status: 301 }, '/')).toBe('/docs/');
  expect(redirectLocation({ from: 'a', to: 'docs/', status: 301 }, '/blog/')).toBe('/blog/docs/');
  expect(redirectLocation({ from: 'a', to: 'https://x.org/', status: 301 }, '/')).toBe('https://x.org/');
});

test('routing rules: 404-conditioned prefix rules, relative and absolute targets', () => {
  const rules = routingRulesFor([{ from: 'old.html', to: 'new.html', status: 302 }, { from: 'ext', to: 'https://example.org/p?q=1', status: 301 }], 'site/');
  expect(rules).toEqual([
    { Condition: { KeyPrefixEquals: 'site/old.html', HttpErrorCodeReturnedEquals: '404' }, Redirect: { ReplaceKeyWith: 'site/new.html', HttpRedirectCode: '302' } },
    { Condition: { KeyPrefixEquals: 'site/ext', HttpErrorCodeReturnedEquals: '404' }, Redirect: { Protocol: 'https', HostName: 'example.org', ReplaceKeyWith: 'p?q=1', HttpRedirectCode: '301' } },
  ]);
  const wanted = { indexDocument: 'index.html', errorDocument: '404.html', routingRules: rules };
  expect(sameWebsite({ kind: 'found', config: wanted }, wanted)).toBe(true);
  expect(sameWebsite({ kind: 'found', config: { ...wanted, routingRules: undefined } }, wanted)).toBe(false);
  expect(sameWebsite({ kind: 'none' }, wanted)).toBe(false);
});

test('redirect objects: an HTML fallback body, the 301 header, and real files win', () => {
  const file = { key: 'p/kept.html', size: 1, md5: 'x', headers: { contentType: 'text/html' }, source: { kind: 'bytes' as const, body: Buffer.from('x') } };
  const result = redirectObjects([{ from: 'kept.html', to: 'a.html', status: 301 }, { from: 'old/page.html', to: 'new.html', status: 302 }], [file], 'p/', '/p/');
  expect(result.objects).toHaveLength(1);
  const object = result.objects[0]!;
  expect(object.key).toBe('p/old/page.html');
  expect(object.headers).toMatchObject({ websiteRedirectLocation: '/p/new.html', contentType: 'text/html; charset=utf-8' });
  const body = object.source.kind === 'bytes' ? object.source.body.toString() : '';
  expect(body).toContain('<meta http-equiv="refresh" content="0; url=../new.html">');
  expect(body).toContain('<link rel="canonical" href="../new.html">');
  expect(body).not.toContain('<script');
  expect(result.warnings).toEqual([
    'redirect from kept.html ignored: a file of the site has that path',
    'redirect from old/page.html is published as a 301 (objects cannot carry 302; Garage 2.x routing rules can)',
  ]);
});

test("deuxfleurs.toml: index_page, error_page and [[redirects]], as Deuxfleurs' dxfl reads them", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dxfl-'));
  await writeFile(path.join(dir, 'deuxfleurs.toml'), 'index_page = "accueil.html"\nerror_page = "erreur.html"\n\n[[redirects]]\nfrom = "/vieux/"\nto = "/neuf/"\n');
  expect(readDeuxfleursToml(dir)).toEqual({ indexPage: 'accueil.html', errorPage: 'erreur.html', redirects: [{ from: 'vieux/', to: 'neuf/', status: 301 }] });
  await writeFile(path.join(dir, 'deuxfleurs.toml'), 'index_page = \n');
  expect(() => readDeuxfleursToml(dir)).toThrow(/invalid TOML/);
});

test('a redirect from a folder path sits where the folder is served from: its index.html', () => {
  const result = redirectObjects([{ from: 'old/', to: 'new/', status: 301 }], [], '', '/');
  expect(result.objects.map((object) => object.key)).toEqual(['old/index.html']);
  const body = result.objects[0]!.source.kind === 'bytes' ? result.objects[0]!.source.body.toString() : '';
  expect(body).toContain('url=../new/');
});

test('… or at the index document the bucket is configured with', () => {
  const result = redirectObjects([{ from: 'old/', to: 'new/', status: 301 }], [], '', '/', 'accueil.html');
  expect(result.objects.map((object) => object.key)).toEqual(['old/accueil.html']);
});
