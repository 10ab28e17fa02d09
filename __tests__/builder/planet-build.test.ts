/** The planet through a whole build, against fixture feeds on a local HTTP server (127.0.0.1 only). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSite, type BuildResult } from '../../lib/builder/index.js';
import { BIG_FEED_BYTES, closedPort, startFeedServer, type FeedServer } from './support/feed-server.js';
import { readTree, tempDir, writeSite } from './support/temp-site.js';

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
});

async function planetSite(extra = ''): Promise<{ root: string; src: string; out: string; cacheDir: string }> {
  const root = await tempDir('fleuron-planet-');
  const down = await closedPort();
  const o = server.origin;
  const src = await writeSite({
    'index.md': '# Home\n\n[The planet](planet/index.html)\n',
    'fleuron.yaml': `title: Ruche
baseUrl: https://ruche.example/
language: en
planet:
  path: planet/
  title: Planet Ruche
  entriesPerPage: 4
  excerptLength: 120
  timeoutSeconds: 3
  maxFeedKb: 512
  feeds:
    - { url: ${o}/ann.atom, name: Ann }
    - { url: ${o}/bob.rss, name: Bob, site: https://bob.example/ }
    - { url: ${o}/cleo.json, name: Cleo }
    - { url: ${o}/mallory.rss, name: "Mallory <script>alert(1)</script>" }
    - { url: ${o}/malformed.xml, name: Malformed }
    - { url: ${o}/slow.xml, name: Slow }
    - { url: ${o}/missing.xml, name: Missing }
    - { url: ${o}/big.xml, name: Big }
    - { url: "http://127.0.0.1:${down}/feed.xml", name: Down }
${extra}`,
  }, path.join(root, 'src'));
  return { root, src, out: path.join(root, 'public'), cacheDir: path.join(root, 'cache') };
}

const build = (site: { src: string; out: string; cacheDir: string }, offline = false): Promise<BuildResult> =>
  buildSite({ sourceDir: site.src, outDir: site.out, cacheDir: site.cacheDir, threads: 0, offline });

const planetFiles = (tree: Map<string, Buffer>) => new Map([...tree].filter(([name]) => name.startsWith('planet/')));

describe('the planet in a build', () => {
  let site: Awaited<ReturnType<typeof planetSite>>;
  let first: BuildResult;
  let firstTree: Map<string, Buffer>;

  beforeAll(async () => {
    site = await planetSite();
    first = await build(site);
    firstTree = await readTree(site.out);
  });

  it('succeeds with exactly one warning per broken feed, each naming the feed', () => {
    const planetWarnings = first.warnings.filter((line) => line.startsWith('planet:'));
    expect(planetWarnings).toHaveLength(5);
    const about = (name: string) => planetWarnings.filter((line) => line.includes(`the feed of ${name} (`));
    expect(about('Malformed')).toEqual([expect.stringContaining('not a feed')]);
    expect(about('Slow')).toEqual([expect.stringContaining('no answer within 3 s')]);
    expect(about('Missing')).toEqual([expect.stringContaining('HTTP 404')]);
    expect(about('Big')).toEqual([expect.stringContaining('larger than 512 KiB')]);
    expect(about('Down')).toEqual([expect.stringContaining('ECONNREFUSED')]);
    for (const good of ['Ann', 'Bob', 'Cleo', 'Mallory']) expect(planetWarnings.join('\n')).not.toContain(`the feed of ${good} (`);
  });

  it('stops reading a feed past the size cap instead of downloading all of it', async () => {
    // What the server wrote includes what the kernel buffers on loopback (up to several MiB): half the feed is far above it.
    expect((await server.state()).bigBytesSent).toBeLessThan(BIG_FEED_BYTES / 2);
  });

  it('asks each feed once, with a User-Agent naming fleuron and the planet', async () => {
    const firstRound = (await server.state()).requests.filter((request) => request.path === '/ann.atom');
    expect(firstRound.length).toBeGreaterThanOrEqual(1);
    expect(firstRound[0]!.userAgent).toMatch(/^fleuron\/\d+\.\d+\.\d+ \(\+planet\)$/);
    expect(firstRound[0]!.ifNoneMatch).toBeUndefined();
  });

  it('lists the entries newest first across pages, ties in the order of the feeds', async () => {
    const listing = ['planet/index.html', 'planet/page/2.html', 'planet/page/3.html'];
    const titles: string[] = [];
    const dates: string[] = [];
    for (const page of listing) {
      const html = firstTree.get(page)!.toString();
      for (const match of html.matchAll(/<h2><a href="[^"]*" rel="nofollow ugc noopener">([^<]*)<\/a><\/h2>\n<p class="meta">.*?<time datetime="([^"]+)">/g)) {
        titles.push(match[1]!);
        dates.push(match[2]!);
      }
    }
    expect(titles).toEqual([
      'Atom five',
      'RSS four',
      'JSON three &lt;not a tag&gt;',
      // RSS titles are HTML in practice: the markup goes, the words stay.
      'Hostile post',
      'Atom one',
      'Atom tie',
      'RSS tie',
      'JSON one',
      'RSS old',
    ]);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(firstTree.has('planet/page/4/index.html')).toBe(false);
  });

  it('links the listing pages both ways, and the site to the planet', () => {
    const one = firstTree.get('planet/index.html')!.toString();
    const two = firstTree.get('planet/page/2.html')!.toString();
    const three = firstTree.get('planet/page/3.html')!.toString();
    expect(one).toContain('<a href="page/2.html" rel="next">');
    expect(one).not.toContain('rel="prev"');
    expect(two).toContain('<a href="../index.html" rel="prev">');
    expect(two).toContain('<a href="3.html" rel="next">');
    expect(three).toContain('<a href="2.html" rel="prev">');
    expect(three).not.toContain('rel="next"');
    // The site's menu (built from the folder tree) leads to the planet, and the planet uses the site's layout and CSS.
    expect(firstTree.get('index.html')!.toString()).toMatch(/<nav class="menu"[^]*<li><a href="planet\/index.html">Planet Ruche<\/a><\/li>[^]*<\/nav>/);
    expect(one).toMatch(/<nav class="breadcrumb"[^]*<a href="..\/index.html">Home<\/a>/);
    expect(one).toMatch(/<link rel="stylesheet" href="\.\.\/theme\.[0-9a-f]{8,}\.css">/);
    expect(one).toContain('<a class="site-title" href="../index.html">Ruche</a>');
    expect(one).toContain('<link rel="alternate" type="application/atom+xml" title="Planet Ruche" href="feed.xml">');
  });

  it('keeps nothing of hostile HTML but text, and only http(s) links with rel="nofollow ugc noopener"', () => {
    const pages = [...planetFiles(firstTree)].filter(([name]) => name.endsWith('.html'));
    expect(pages.length).toBe(4);
    for (const [name, bytes] of pages) {
      const html = bytes.toString();
      const context = `in ${name}`;
      expect({ context, found: html.match(/<(script|iframe|style|img|object|embed|svg|form|input|link rel="stylesheet" href="http)/gi) }).toEqual({ context, found: null });
      expect({ context, found: html.match(/\son[a-z]+=|javascript:|data:text|evil\.example|style=/gi) }).toEqual({ context, found: null });
      for (const [, tag] of html.matchAll(/<a ([^>]*)>/g)) {
        const href = /href="([^"]*)"/.exec(tag!)?.[1];
        if (href === undefined) continue; // a named anchor (the skip link's target)
        if (/^[a-z]+:/i.test(href)) {
          expect(href).toMatch(/^https?:\/\//);
          expect(tag).toContain('rel="nofollow ugc noopener"');
        }
      }
    }
    const one = firstTree.get('planet/index.html')!.toString();
    // The hostile entry's words are there, as text.
    expect(one).toContain('Hello readers. click me data link');
    expect(one).toContain('&lt;script&gt;escaped text stays text&lt;/script&gt;');
    expect(one).toContain('href="https://mallory.example/post?a=1&amp;b=%222%22"');
    expect(firstTree.get('planet/members/index.html')!.toString()).toContain('Mallory &lt;script&gt;alert(1)&lt;/script&gt;');
    // The entry whose only link was javascript: is left out.
    expect(one + firstTree.get('planet/page/2.html')!.toString()).not.toContain('Script link');
  });

  it('keeps every planet page within the page budget', async () => {
    const stylesheet = [...firstTree.keys()].find((name) => /^theme\.[0-9a-f]{8,}\.css$/.test(name))!;
    const css = await readFile(path.join(site.out, stylesheet));
    for (const [name, bytes] of planetFiles(firstTree)) {
      if (!name.endsWith('.html')) continue;
      expect({ name, kb: (gzipSync(bytes).length + gzipSync(css).length) / 1024 < 14 }).toEqual({ name, kb: true });
    }
    expect(first.sizes.overBudget).toEqual([]);
  });

  it('writes an Atom feed dated by its newest entry, and an OPML file of the subscriptions', () => {
    const feed = firstTree.get('planet/feed.xml')!.toString();
    expect(feed).toContain('<id>https://ruche.example/planet/</id>');
    expect(feed).toContain('<link rel="self" href="https://ruche.example/planet/feed.xml"/>');
    expect(feed.match(/<updated>[^<]+<\/updated>/)![0]).toBe('<updated>2025-03-05T08:00:00.000Z</updated>');
    expect(feed.match(/<entry>/g)).toHaveLength(4);
    // A relative entry link resolves against the blog's own address; an id that is no IRI gives way to the link.
    expect(feed).toContain('<link rel="alternate" href="https://ann.example/2025/five"/>');
    expect(feed).toContain('<id>https://cleo.example/three</id>');
    expect(feed).not.toMatch(/<script|javascript:|evil\.example/i);
    const opml = firstTree.get('planet/subscriptions.opml')!.toString();
    expect(opml.match(/<outline /g)).toHaveLength(9);
    expect(opml).toContain(`<outline type="rss" text="Bob" title="Bob" xmlUrl="${server.origin}/bob.rss" htmlUrl="https://bob.example/"/>`);
    expect(opml).toContain('text="Mallory &lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('rebuilds with conditional requests and, on 304s, writes byte-identical pages; a feed that breaks keeps its entries', async () => {
    const before = (await server.state()).requests.length;
    await server.setFailing('/cleo.json', true);
    try {
      const second = await build(site);
      const round = (await server.state()).requests.slice(before);
      for (const feed of ['/ann.atom', '/bob.rss', '/mallory.rss']) {
        const request = round.find((candidate) => candidate.path === feed)!;
        expect({ feed, ifNoneMatch: request.ifNoneMatch, ifModifiedSince: request.ifModifiedSince, status: request.status }).toEqual({
          feed,
          ifNoneMatch: `"${feed.slice(1)}-v1"`,
          ifModifiedSince: 'Wed, 05 Mar 2025 08:00:00 GMT',
          status: 304,
        });
      }
      const warnings = second.warnings.filter((line) => line.startsWith('planet:'));
      expect(warnings).toHaveLength(6);
      expect(warnings.find((line) => line.includes('the feed of Cleo ('))).toContain('HTTP 500 Internal Server Error — its 2 entries from the last good copy are kept');
      const secondTree = await readTree(site.out);
      expect(planetFiles(secondTree)).toEqual(planetFiles(firstTree));
      expect(second.rendered).toBe(0);
    } finally {
      await server.setFailing('/cleo.json', false);
    }
  });

  it('builds from the cache alone with offline: true, fetching nothing, to the same bytes', async () => {
    const before = (await server.state()).requests.length;
    const offline = await build(site, true);
    expect((await server.state()).requests.length).toBe(before);
    // The feeds never fetched successfully have nothing cached: one warning each.
    expect(offline.warnings.filter((line) => line.startsWith('planet:'))).toHaveLength(5);
    expect(planetFiles(await readTree(site.out))).toEqual(planetFiles(firstTree));
  });
});

describe('planet configuration in a build', () => {
  it('can be named in the navigation, and an offline first build makes an empty planet with one warning per feed', async () => {
    const root = await tempDir('fleuron-planet-');
    const src = await writeSite({
      'index.md': 'x',
      'fleuron.yaml': `language: fr\nnavigation:\n  - { title: Accueil, path: index.md }\n  - { title: Les blogs, path: blogs/ }\nplanet:\n  path: blogs/\n  feeds:\n    - { url: ${server.origin}/ann.atom, name: Ann }\n`,
    }, path.join(root, 'src'));
    const result = await buildSite({ sourceDir: src, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache'), threads: 0, offline: true });
    expect(result.warnings).toEqual([
      `planet: the feed of Ann (${server.origin}/ann.atom): not in the cache, and this is an offline build — build once without --offline`,
      expect.stringMatching(/src\/fleuron\.yaml: no baseUrl, so the planet has no Atom feed \(it needs absolute URLs\)$/),
    ]);
    const tree = await readTree(path.join(root, 'out'));
    expect(tree.get('index.html')!.toString()).toContain('<li><a href="blogs/index.html">Les blogs</a></li>');
    expect(tree.get('blogs/index.html')!.toString()).toContain('<p>Aucun article pour le moment.</p>');
    expect(tree.has('blogs/feed.xml')).toBe(false);
  });

  it('refuses a planet folder that a page of the site already uses', async () => {
    const root = await tempDir('fleuron-planet-');
    const src = await writeSite({
      'index.md': 'x',
      'planet/index.md': '# Mine',
      'fleuron.yaml': `planet:\n  path: planet/\n  feeds:\n    - { url: ${server.origin}/ann.atom, name: Ann }\n`,
    }, path.join(root, 'src'));
    const failure = await buildSite({ sourceDir: src, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache'), threads: 0 }).catch((error: Error) => error);
    expect(failure).toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/: the planet's planet\/index\.html would replace \S*src\/planet\/index\.md/),
    });
  });
});
