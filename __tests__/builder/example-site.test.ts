/** The example site (site-src/) is the README's demo: it must build cleanly, stay JavaScript-free, self-contained and light. */
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSite, type BuildResult } from '../../lib/builder/index.js';
import { readTree, tempDir } from './support/temp-site.js';

const BUDGET_BYTES = 14 * 1024;
let result: BuildResult;
let tree: Map<string, Buffer>;

beforeAll(async () => {
  const root = await tempDir();
  result = await buildSite({ sourceDir: 'site-src', outDir: path.join(root, 'public'), cacheDir: path.join(root, 'cache') });
  tree = await readTree(result.outDir);
});

const htmlPages = () => [...tree].filter(([name]) => name.endsWith('.html')).map(([name, bytes]) => ({ name, html: bytes.toString() }));

describe('the example site', () => {
  it('builds without warnings and has the pages the issue asks for', () => {
    expect(result.warnings).toEqual([]);
    const names = [...tree.keys()];
    expect(names).toEqual(expect.arrayContaining([
      'index.html', 'qui-sommes-nous.html', 'valeurs.html', '404.html', 'feed.xml', 'sitemap.xml', 'images/ruche.svg',
      'reunions/index.html', 'reunions/Réunion 2 février.html', 'documentation/installer-garage.html',
    ]));
    expect(names.filter((name) => name.startsWith('blog/2024-'))).toHaveLength(3);
    expect(names).not.toContain('blog/brouillon-agendas.html');
    expect(names.some((name) => name.endsWith('fleuron.yaml'))).toBe(false);
  });

  it('contains no JavaScript at all', () => {
    for (const { name, html } of htmlPages()) {
      expect({ name, script: /<script/i.test(html) }).toEqual({ name, script: false });
      expect({ name, handler: /\son[a-z]+\s*=/i.test(html) }).toEqual({ name, handler: false });
      expect({ name, js: /javascript:/i.test(html) }).toEqual({ name, js: false });
    }
  });

  it('loads no asset from another site (src, stylesheet, icon, preload)', () => {
    for (const { name, html } of htmlPages()) {
      const sources = [...html.matchAll(/\ssrc="([^"]*)"/g)].map((match) => match[1]!);
      const linked = [...html.matchAll(/<link\b[^>]*>/g)].map((match) => /href="([^"]*)"/.exec(match[0])?.[1] ?? '');
      for (const url of [...sources, ...linked]) {
        // A data: URL is no request at all.
        expect({ name, url, external: /^(?:(?!data:)[a-z][a-z0-9+.-]*:|\/\/)/i.test(url) }).toEqual({ name, url, external: false });
      }
    }
  });

  it('declares an icon on every page, so that browsers ask for no /favicon.ico (a 404 at every first visit)', () => {
    for (const { name, html } of htmlPages()) {
      expect({ name, icon: /<link rel="icon" href="[^"]+">/.test(html) }).toEqual({ name, icon: true });
    }
  });

  it('keeps every page, with its CSS, within 14 KiB gzipped, and even uncompressed as Garage serves it by default', () => {
    const stylesheet = [...tree.keys()].find((name) => /^theme\.[0-9a-f]{8,}\.css$/.test(name))!;
    const css = tree.get(stylesheet)!;
    for (const { name, html } of htmlPages()) {
      const total = gzipSync(html).length + gzipSync(css).length;
      const uncompressed = Buffer.byteLength(html) + css.length;
      expect({ name, withinBudget: total <= BUDGET_BYTES, uncompressedWithinBudget: uncompressed <= BUDGET_BYTES }).toEqual({ name, withinBudget: true, uncompressedWithinBudget: true });
    }
    expect(result.sizes.overBudget).toEqual([]);
    expect(result.sizes.pages).toHaveLength(htmlPages().length);
  });

  it('uses only relative links between its pages (so it works from file:// and under any prefix)', () => {
    for (const { name, html } of htmlPages().filter((page) => page.name !== '404.html')) {
      for (const match of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
        expect({ name, url: match[1], rootAbsolute: match[1]!.startsWith('/') }).toEqual({ name, url: match[1], rootAbsolute: false });
      }
    }
  });

  it('declares its language and a skip link on every page', () => {
    for (const { name, html } of htmlPages()) {
      expect({ name, ok: html.includes('<html lang="fr">') && html.includes('<a class="skip-link" href="#main">Aller au contenu</a>') }).toEqual({ name, ok: true });
    }
  });
});
