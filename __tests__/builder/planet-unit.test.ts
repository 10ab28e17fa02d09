/** The planet's pure parts: its config, reading feeds into text entries, merging and paginating, its files. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { parseSiteConfig } from '../../lib/builder/load/site-config.js';
import type { MemberFeed } from '../../lib/builder/load/planet/gather-feeds.js';
import { excerptOf, mergeEntries, paginate } from '../../lib/builder/load/planet/merge-entries.js';
import { parseFeedBody, plainText } from '../../lib/builder/load/planet/parse-feed.js';
import { parsePlanetConfig } from '../../lib/builder/load/planet/planet-config.js';
import { planPlanet } from '../../lib/builder/load/planet/planet-section.js';
import { scaffoldFiles } from '../../lib/init/scaffold.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/planet');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

describe('planet config', () => {
  const feeds = [{ url: 'https://a.example/feed.xml', name: 'Ann' }];

  it('reads path and feeds, with defaults for the rest', () => {
    expect(parsePlanetConfig({ path: '/planet', feeds }, 'fleuron.yaml')).toEqual({
      path: 'planet/',
      feeds,
      entriesPerPage: 20,
      maxEntries: 200,
      entriesPerFeed: 20,
      excerptLength: 300,
      refreshMinutes: 0,
      timeoutSeconds: 10,
      maxFeedKb: 2048,
      concurrency: 4,
    });
    expect(parsePlanetConfig(undefined, 'fleuron.yaml')).toBeUndefined();
  });

  it.each([
    [{ feeds, entriesPerPag: 3 }, 'fleuron.yaml: planet: unknown key "entriesPerPag"', 'did you mean "entriesPerPage"?'],
    [{ feeds: [{ url: 'https://a.example/', nom: 'x' }] }, 'fleuron.yaml: planet: feeds[0]: unknown key "nom"', 'did you mean "name"?'],
    [{ feeds: [] }, 'fleuron.yaml: "planet.feeds" must be a list of { url, name, site } entries (at least one)', 'got []'],
    [{ feeds: [{ url: 'javascript:alert(1)', name: 'x' }] }, 'fleuron.yaml: "planet.feeds[0].url" must be an http(s) URL', 'got "javascript:alert(1)"'],
    [{ feeds: [{ url: 'https://a.example/' }] }, 'fleuron.yaml: "planet.feeds[0].name" must be the member\'s name', 'got undefined'],
    [{ feeds: [...feeds, ...feeds] }, 'fleuron.yaml: "planet.feeds[1].url" lists https://a.example/feed.xml a second time', 'list each feed once'],
    [{ feeds, path: '../outside/' }, 'fleuron.yaml: "planet.path" must be a folder inside the site such as planet/', 'got "../outside/"'],
    [{ feeds, timeoutSeconds: 0 }, 'fleuron.yaml: "planet.timeoutSeconds" must be a whole number from 1 to 300', 'got 0'],
  ])('refuses %j with one line and a hint', (planet, message, hint) => {
    expect(() => parseSiteConfig({ planet }, 'fleuron.yaml')).toThrow(expect.objectContaining({ message, hint, exitCode: 2 }));
  });

  it('is the commented example `fleuron init` writes, once uncommented', () => {
    const yaml = scaffoldFiles({ title: 'T', language: 'en' }).find((file) => file.path === 'site-src/fleuron.yaml')!.content;
    expect(parseSiteConfig(parseYaml(yaml), 'fleuron.yaml').planet).toBeUndefined();
    const uncommented = yaml.replace(/^# (planet:|  .*)$/gm, '$1');
    const planet = parseSiteConfig(parseYaml(uncommented), 'fleuron.yaml').planet!;
    expect(planet.path).toBe('planet/');
    expect(planet.feeds.map((feed) => feed.name)).toEqual(['Camille', 'Dominique']);
  });
});

describe('reading feeds', () => {
  it('reads Atom, RSS 2.0 and JSON Feed into text entries with absolute http(s) links and UTC dates', () => {
    const atom = parseFeedBody(fixture('ann.atom.xml'), 'https://feeds.example/ann.atom');
    expect(atom.site).toBe('https://ann.example/');
    expect(atom.entries[0]).toEqual({
      id: 'tag:ann.example,2025:five',
      title: 'Atom five',
      link: 'https://ann.example/2025/five',
      date: '2025-03-05T08:00:00.000Z',
      author: 'Ann',
      text: 'The fifth post of Ann, about bees & hives.',
    });
    expect(atom.entries[1]).toMatchObject({ title: 'Atom one', text: 'A summary with a < sign.' });
    const rss = parseFeedBody(fixture('bob.rss.xml'), 'https://bob.example/rss');
    expect(rss.entries.map((entry) => entry.title)).toEqual(['RSS four', 'RSS tie', 'RSS old']);
    expect(rss.entries[0]).toMatchObject({ author: 'Bob B.', date: '2025-03-04T09:00:00.000Z' });
    expect(rss.entries[0]!.text).toMatch(/^Heading Long body of the fourth post, with a link\. Lorem/);
    const json = parseFeedBody(fixture('cleo.feed.json'), 'https://cleo.example/feed.json');
    expect(json.entries.map(({ title, date, text }) => ({ title, date, text }))).toEqual([
      { title: 'JSON three <not a tag>', date: '2025-03-03T11:00:00.000Z', text: 'Third, from a JSON feed.' },
      { title: 'JSON one', date: '2025-02-01T00:00:00.000Z', text: 'Plain text with <angle brackets> kept as text.' },
    ]);
  });

  it('reads Atom text constructs by their type: text (the default) stays as written, html and xhtml lose their markup', () => {
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><updated>2025-01-01T00:00:00Z</updated>
<entry><title>a &lt; b &amp; &lt;c&gt;</title><link href="https://a.example/1"/><id>urn:1</id><updated>2025-02-01T00:00:00Z</updated><content>x &lt;b&gt;y&lt;/b&gt;</content></entry>
<entry><title type="html">&lt;em&gt;html&lt;/em&gt; title</title><link href="https://a.example/2"/><id>urn:2</id><updated>2025-02-02T00:00:00Z</updated><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>xhtml <b>body</b></p></div></content></entry>
</feed>`;
    expect(parseFeedBody(atom, 'https://a.example/feed').entries.map(({ title, text }) => ({ title, text }))).toEqual([
      { title: 'a < b & <c>', text: 'x <b>y</b>' },
      { title: 'html title', text: 'xhtml body' },
    ]);
  });

  it('keeps a JSON feed\'s plain text as written: quotes, ampersands and angle brackets', () => {
    const feed = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'J',
      items: [{ id: '1', url: 'https://j.example/1', title: 'Say "a & b" <i>', date_published: '2025-02-01T00:00:00Z', content_text: 'He said "a & b" <i>, then &amp; left.' }],
    });
    expect(parseFeedBody(feed, 'https://j.example/feed.json').entries.map(({ title, text }) => ({ title, text }))).toEqual([
      { title: 'Say "a & b" <i>', text: 'He said "a & b" <i>, then &amp; left.' },
    ]);
  });

  it('keeps only the words of hostile HTML, and drops entries without an http(s) link', () => {
    const feed = parseFeedBody(fixture('mallory.rss.xml'), 'https://mallory.example/rss');
    expect(feed.site).toBeUndefined();
    expect(feed.entries).toHaveLength(1);
    const [entry] = feed.entries;
    expect(entry!.title).toBe('Hostile post');
    expect(entry!.text).toBe('Hello readers. click me data link <script>escaped text stays text</script> and the end.');
    expect(entry!.author).toBe('Mallory "M" <b>');
  });

  it('says a body that is no feed is not a feed', () => {
    expect(() => parseFeedBody(fixture('malformed.xml'), 'https://x.example/')).toThrow(/^not a feed/);
    expect(() => parseFeedBody('<html><body>hello</body></html>', 'https://x.example/')).toThrow(/^not a feed/);
  });

  it('cuts text to length without breaking a character', () => {
    expect(plainText('<p>a\u0000b\u0007 c</p>  <p>d</p>', 100)).toBe('ab c d');
    expect(plainText('😀😀😀', 2)).toBe('😀😀');
  });
});

describe('merging and pages', () => {
  const member = (name: string, dates: string[]): MemberFeed => ({
    member: { url: `https://${name}.example/feed`, name },
    status: 'fetched',
    entries: dates.map((date, index) => ({ id: `${name}-${index}`, title: `${name} ${index}`, link: `https://${name}.example/${index}`, date, text: `text of ${name} ${index}` })),
  });

  it('orders entries newest first, ties by the order of the feeds then of the entries, whatever the order they came in', () => {
    const a = member('a', ['2025-01-02T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z']);
    const b = member('b', ['2025-01-02T00:00:00.000Z', '2025-01-03T00:00:00.000Z']);
    const config = { entriesPerFeed: 10, maxEntries: 100, excerptLength: 100 };
    const titles = mergeEntries([a, b], config).map((entry) => entry.title);
    expect(titles).toEqual(['b 1', 'a 0', 'a 2', 'b 0', 'a 1']);
    expect(mergeEntries([a, b], { ...config, entriesPerFeed: 1 }).map((entry) => entry.title)).toEqual(['b 1', 'a 0']);
    expect(mergeEntries([a, b], { ...config, maxEntries: 2 }).map((entry) => entry.title)).toEqual(['b 1', 'a 0']);
  });

  it('cuts excerpts at a word boundary and says so', () => {
    expect(excerptOf('one two three four', 100)).toEqual({ excerpt: 'one two three four', cut: false });
    expect(excerptOf('one two three four', 11)).toEqual({ excerpt: 'one two…', cut: true });
    expect(excerptOf('one two three four', 14)).toEqual({ excerpt: 'one two three…', cut: true });
    expect(excerptOf('abcdefghijkl', 5)).toEqual({ excerpt: 'abcde…', cut: true });
  });

  it('paginates, with one (empty) page when there is nothing', () => {
    expect(paginate([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(paginate([], 2)).toEqual([[]]);
  });

  it('plans the same pages and files for the same feeds, and none of them depends on the clock', () => {
    const site = parseSiteConfig({ title: 'S', baseUrl: 'https://s.example/', planet: { path: 'p/', entriesPerPage: 2, feeds: [{ url: 'https://a.example/feed', name: 'a' }, { url: 'https://b.example/feed', name: 'b' }] } }, 'fleuron.yaml');
    const feeds = [member('a', ['2025-01-02T00:00:00.000Z', '2025-01-01T00:00:00.000Z']), member('b', ['2025-01-03T00:00:00.000Z'])];
    const once = planPlanet(site as typeof site & { planet: NonNullable<typeof site.planet> }, feeds);
    const twice = planPlanet(site as typeof site & { planet: NonNullable<typeof site.planet> }, feeds.map((feed) => ({ ...feed, status: 'not-modified' as const })));
    expect(once.jobs.map((job) => job.outputPath)).toEqual(['p/index.html', 'p/page/2.html', 'p/members/index.html']);
    expect([...once.files.keys()]).toEqual(['p/feed.xml', 'p/subscriptions.opml']);
    expect(twice.files).toEqual(once.files);
    expect(twice.jobs.map((job) => job.textHash)).toEqual(once.jobs.map((job) => job.textHash));
    expect(once.files.get('p/feed.xml')).toContain('<updated>2025-01-03T00:00:00.000Z</updated>');
  });
});
