import {
  breadcrumbsFor,
  folderListing,
  folderTitle,
  isCurrent,
  MAX_TREE_MENU_ENTRIES,
  missingFolderIndexes,
  postsOf,
  resolveNavigation,
  siteMenu,
  type PageSummary,
} from '../../lib/builder/load/site-map.js';
import { summaryOf } from '../../lib/builder/load/load-site.js';
import type { SiteConfig } from '../../lib/builder/load/site-config.js';

const page = (outputPath: string, title: string, extra: Partial<PageSummary> = {}): PageSummary => ({
  sourcePath: outputPath.replace(/\.html$/, '.md'),
  outputPath,
  kind: 'page',
  title,
  ...extra,
});

const pages: PageSummary[] = [
  page('index.html', 'Accueil'),
  page('about.html', 'Qui sommes-nous'),
  page('values.html', 'Valeurs', { weight: -1 }),
  page('blog/a.html', 'Premier', { date: '2024-01-01' }),
  page('blog/b.html', 'Second', { date: '2024-06-01' }),
  page('notes/Écrire.html', 'Écrire'),
  page('notes/zèbre.html', 'zèbre'),
  page('notes/Abeille.html', 'Abeille'),
  page('notes/2024/x.html', 'X'),
  page('404.html', 'Introuvable', { kind: 'not-found' }),
];

describe('missingFolderIndexes', () => {
  it('generates an index for every folder with pages and none of its own', () => {
    const outputs = new Set(pages.map((p) => p.outputPath));
    expect(missingFolderIndexes(pages, outputs, 'Site').map((p) => [p.outputPath, p.title, p.kind, p.sourcePath])).toEqual([
      ['blog/index.html', 'Blog', 'folder-index', 'blog/'],
      ['notes/index.html', 'Notes', 'folder-index', 'notes/'],
      ['notes/2024/index.html', '2024', 'folder-index', 'notes/2024/'],
    ]);
  });
  it('does not replace a copied index.html, and generates the root index when missing', () => {
    const outputs = new Set(['blog/index.html']);
    expect(missingFolderIndexes([page('blog/a.html', 'a')], outputs, 'Site').map((p) => [p.outputPath, p.title])).toEqual([['index.html', 'Site']]);
  });
  it('titles folders from their names', () => {
    expect(folderTitle('notes/comptes-rendus_2024')).toBe('Comptes rendus 2024');
    expect(folderTitle('été')).toBe('Été');
  });
});

describe('folderListing', () => {
  const all = [...pages, ...missingFolderIndexes(pages, new Set(pages.map((p) => p.outputPath)), 'Site')];
  it('lists dated pages newest first', () => {
    expect(folderListing('blog/index.html', all, 'fr').map((link) => link.title)).toEqual(['Second', 'Premier']);
  });
  it('lists other pages by title in the site language, with subfolders', () => {
    expect(folderListing('notes/index.html', all, 'fr').map((link) => link.title)).toEqual(['2024', 'Abeille', 'Écrire', 'zèbre']);
  });
  it('lists the root without itself nor the 404 page, weight first', () => {
    expect(folderListing('index.html', all, 'fr').map((link) => link.outputPath)).toEqual(['values.html', 'blog/index.html', 'notes/index.html', 'about.html']);
  });
});

describe('siteMenu', () => {
  it('comes from the tree: home, then undated root pages and folders', () => {
    const all = [...pages, ...missingFolderIndexes(pages, new Set(pages.map((p) => p.outputPath)), 'Site')];
    expect(siteMenu(all, 'Accueil', 'fr').map((link) => link.outputPath)).toEqual(['index.html', 'values.html', 'blog/index.html', 'notes/index.html', 'about.html']);
  });
  it('keeps a tree menu short on a site with many root pages', () => {
    const many = Array.from({ length: 40 }, (_, index) => page(`p${String(index).padStart(2, '0')}.html`, `Page ${String(index).padStart(2, '0')}`));
    const menu = siteMenu([page('index.html', 'Home'), ...many], 'Accueil', 'en');
    expect(menu).toHaveLength(1 + MAX_TREE_MENU_ENTRIES);
    expect(menu.at(-1)!.title).toBe('Page 11');
  });
  it('picks the same first entries as the full root listing, whatever the order of the pages', () => {
    const titles = ['zèbre', 'Écrire', 'abeille', 'Zoo', 'été', 'Ete', 'page 10', 'page 9', 'Ruche', 'miel', 'Cadre', 'cire', 'Essaim', 'reine', 'Ouvrière'];
    const many = titles.flatMap((title, index) => [
      page(`p${index}.html`, title, index % 4 === 0 ? { weight: index % 3 } : {}),
      page(`q${index}.html`, title),
      page(`d${index}.html`, `Daté ${index}`, { date: `2024-01-${String(index + 1).padStart(2, '0')}` }),
    ]);
    for (const order of [many, [...many].reverse(), [...many].sort((a, b) => a.title.length - b.title.length)]) {
      const expected = folderListing('index.html', order, 'fr').filter((link) => link.date === undefined).slice(0, MAX_TREE_MENU_ENTRIES).map((link) => link.outputPath);
      expect(siteMenu(order, 'Accueil', 'fr').map((link) => link.outputPath)).toEqual(expected);
    }
  });
  it('or from the config', () => {
    expect(siteMenu(pages, 'Accueil', 'fr', [{ title: 'À propos', outputPath: 'about.html' }])).toEqual([{ title: 'À propos', outputPath: 'about.html' }]);
  });
  it('resolves configured paths to pages and folders, listing the unknown ones', () => {
    const bySource = new Map([['about.md', 'about.html']]);
    const outputs = new Set(['about.html', 'notes/index.html', 'feed.xml']);
    expect(resolveNavigation([
      { title: 'A', path: 'about.md' },
      { title: 'N', path: 'notes/' },
      { title: 'N2', path: './notes' },
      { title: 'F', path: 'feed.xml' },
      { title: 'Z', path: 'zzz.md' },
    ], bySource, outputs)).toEqual({
      links: [
        { title: 'A', outputPath: 'about.html' },
        { title: 'N', outputPath: 'notes/index.html' },
        { title: 'N2', outputPath: 'notes/index.html' },
        { title: 'F', outputPath: 'feed.xml' },
      ],
      missing: ['zzz.md'],
    });
  });
  it('marks the current page and the folders it is in', () => {
    expect(isCurrent('about.html', 'about.html')).toBe(true);
    expect(isCurrent('notes/index.html', 'notes/2024/x.html')).toBe(true);
    expect(isCurrent('index.html', 'notes/x.html')).toBe(false);
    expect(isCurrent('notes/index.html', 'notesbis/x.html')).toBe(false);
  });
});

describe('breadcrumbsFor', () => {
  const titles = new Map([
    ['index.html', 'Accueil du site'],
    ['notes/index.html', 'Notes'],
    ['notes/2024/index.html', '2024'],
  ]);
  it('lists the folders above a page, home first', () => {
    expect(breadcrumbsFor('notes/2024/x.html', titles, 'Accueil').map((link) => [link.title, link.outputPath])).toEqual([
      ['Accueil', 'index.html'],
      ['Notes', 'notes/index.html'],
      ['2024', 'notes/2024/index.html'],
    ]);
  });
  it('stops above a folder index page, and is empty on the home page', () => {
    expect(breadcrumbsFor('notes/2024/index.html', titles, 'Accueil').map((link) => link.outputPath)).toEqual(['index.html', 'notes/index.html']);
    expect(breadcrumbsFor('index.html', titles, 'Accueil')).toEqual([]);
  });
  it('skips folders without an index page', () => {
    expect(breadcrumbsFor('other/deep/x.html', new Map([['index.html', 'H']]), 'Accueil').map((link) => link.outputPath)).toEqual(['index.html']);
  });
});

describe('postsOf', () => {
  it('keeps dated pages only, newest first', () => {
    expect(postsOf(pages, 'fr').map((post) => post.title)).toEqual(['Second', 'Premier']);
  });
});

describe('summaryOf', () => {
  const config = { title: 'Mon site' } as SiteConfig;
  const titleOf = (sourcePath: string, outputPath: string, frontMatter: { title?: string } = {}, heading?: string) =>
    summaryOf({ sourcePath, outputPath, frontMatter: { draft: false, aliases: [], extra: {}, ...frontMatter }, ...(heading ? { body: { heading } as never } : {}) }, config).title;

  it("titles a page by its front matter, else its first heading, else its file name, an index by its folder's or the site's", () => {
    expect(titleOf('notes/a.md', 'notes/a.html', { title: 'Titre' }, 'Heading')).toBe('Titre');
    expect(titleOf('notes/a.md', 'notes/a.html', {}, 'Heading')).toBe('Heading');
    expect(titleOf('notes/comptes-rendus_2024.md', 'notes/comptes-rendus_2024.html')).toBe('Comptes rendus 2024');
    expect(titleOf('notes/index.md', 'notes/index.html')).toBe('Notes');
    expect(titleOf('index.md', 'index.html')).toBe('Mon site');
  });
});
