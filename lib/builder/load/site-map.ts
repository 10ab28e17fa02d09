/** The site as a list of page summaries, and the pure questions layouts ask of it: menu, breadcrumbs, folder listings, posts. */
import path from 'node:path';
import type { NavigationEntry } from './site-config.js';
import { isSectionSource } from './url-map.js';

/**
 * `listing-page`: page 2, 3 … of a folder index whose listing is longer than one page (see paginateListings);
 * `planet`: a page of the planet section (see lib/builder/load/planet/), generated from the members' feeds.
 */
export type PageKind = 'page' | 'folder-index' | 'not-found' | 'listing-page' | 'planet';

/** Where a page stands in its folder's paginated listing: page `number` of `total`, listing the folder of `index`. */
export interface ListingPosition {
  /** Output path of the folder's index page (page 1). */
  index: string;
  number: number;
  total: number;
  /** Entries per page. */
  size: number;
}

/** What other pages need to know about a page: where it is, its title and dates. */
export interface PageSummary {
  /** Source path (`notes/Réunion 2.md`); a generated folder index has its folder (`notes/`). */
  sourcePath: string;
  outputPath: string;
  kind: PageKind;
  title: string;
  description?: string;
  date?: string;
  updated?: string;
  weight?: number;
  /** Set on the pages of a listing that spans several pages (page 1, the folder's index, included). */
  listing?: ListingPosition;
}

/** A link in a menu, listing or breadcrumb trail, by output path (each page turns it into a URL relative to itself). */
export interface SiteLink {
  title: string;
  outputPath: string;
  date?: string;
  description?: string;
  isFolder?: boolean;
}

/** Whether a page is its folder's section page (`index.md`, `_index.md`, `README.md`; see url-map.ts). */
export function isIndexSource(sourcePath: string, outputPath?: string): boolean {
  return isSectionSource(sourcePath) && (outputPath === undefined || outputPath === 'index.html' || outputPath.endsWith('/index.html'));
}

export function folderOf(outputPath: string): string {
  const dir = path.posix.dirname(outputPath);
  return dir === '.' ? '' : dir;
}

function indexOutputOf(folder: string): string {
  return folder === '' ? 'index.html' : `${folder}/index.html`;
}

/** `reunions-2024` → `Reunions 2024`-like label for a folder without an index page: first letter up, dashes as spaces. */
export function folderTitle(folder: string): string {
  const name = path.posix.basename(folder).replace(/[-_]+/g, ' ').trim();
  return name.charAt(0).toLocaleUpperCase() + name.slice(1);
}

/**
 * Summaries of the index pages to generate: one per folder (root included) that holds pages, directly or
 * below, and has neither an index page nor a copied `index.html`.
 */
export function missingFolderIndexes(pages: readonly PageSummary[], outputs: ReadonlySet<string>, siteTitle: string): PageSummary[] {
  const folders = new Set<string>();
  for (const page of pages) {
    if (page.kind !== 'page') continue;
    let folder = folderOf(page.outputPath);
    for (;;) {
      folders.add(folder);
      if (folder === '') break;
      folder = folderOf(folder);
    }
  }
  return [...folders]
    .filter((folder) => !outputs.has(indexOutputOf(folder)))
    .sort()
    .map((folder) => ({
      sourcePath: folder === '' ? '' : `${folder}/`,
      outputPath: indexOutputOf(folder),
      kind: 'folder-index' as const,
      title: folder === '' ? siteTitle : folderTitle(folder),
    }));
}

/**
 * By weight (none counts as 0), then dated pages first, newest first, then by title (in the site language's order):
 * Hugo's and Zola's order, and a blog's when no page has a weight.
 */
export function compareForListing(language: string): (a: PageSummary, b: PageSummary) => number {
  const collator = new Intl.Collator(language, { sensitivity: 'base', numeric: true });
  return (a, b) => {
    const byWeight = (a.weight ?? 0) - (b.weight ?? 0);
    if (byWeight !== 0) return byWeight;
    if (a.date && b.date) return b.date.localeCompare(a.date) || collator.compare(a.title, b.title) || a.outputPath.localeCompare(b.outputPath);
    if (a.date) return -1;
    if (b.date) return 1;
    return collator.compare(a.title, b.title) || a.outputPath.localeCompare(b.outputPath);
  };
}

function toLink(page: PageSummary): SiteLink {
  const link: SiteLink = { title: page.title, outputPath: page.outputPath };
  if (page.date) link.date = page.date;
  if (page.description) link.description = page.description;
  if (page.outputPath.endsWith('index.html')) link.isFolder = true;
  return link;
}

/** What a folder's index lists: its pages and the index pages of its subfolders, in listing order. */
export function folderListing(folderIndexOutput: string, pages: readonly PageSummary[], language: string): SiteLink[] {
  return folderChildren(folderIndexOutput, pages).sort(compareForListing(language)).map(toLink);
}

/** The pages a folder's index lists, in no particular order. */
function folderChildren(folderIndexOutput: string, pages: readonly PageSummary[]): PageSummary[] {
  const folder = folderOf(folderIndexOutput);
  return pages.filter((page) => {
    if (page.kind === 'not-found' || page.kind === 'listing-page' || page.outputPath === folderIndexOutput) return false;
    const parent = folderOf(page.outputPath);
    if (page.outputPath.endsWith('/index.html')) return folderOf(parent) === folder && parent !== folder;
    return parent === folder;
  });
}

/** Dated pages, newest first. */
export function postsOf(pages: readonly PageSummary[], language: string): PageSummary[] {
  return pages.filter((page) => page.kind === 'page' && page.date !== undefined).sort(compareForListing(language));
}

/** A menu from the folder tree stops here: every page carries it, and the root index lists everything anyway. */
export const MAX_TREE_MENU_ENTRIES = 12;

/**
 * The main menu: the config's `navigation` when given (paths already resolved to output paths by the loader),
 * otherwise the home page then the root's undated pages and folders (weight, then title), at most
 * {@link MAX_TREE_MENU_ENTRIES} of them.
 */
export function siteMenu(pages: readonly PageSummary[], homeTitle: string, language: string, configured?: readonly SiteLink[]): SiteLink[] {
  if (configured) return [...configured];
  const home = pages.find((page) => page.outputPath === 'index.html');
  const menu: SiteLink[] = home ? [{ title: homeTitle, outputPath: 'index.html' }] : [];
  const top = folderChildren('index.html', pages).filter((page) => page.date === undefined && page.outputPath !== '404.html');
  return menu.concat(firstInOrder(top, compareForListing(language), MAX_TREE_MENU_ENTRIES).map(({ title, outputPath }) => ({ title, outputPath })));
}

/** The first `count` items in the order of `compare`, without sorting them all (a flat site has thousands of root pages). */
function firstInOrder<T>(items: readonly T[], compare: (a: T, b: T) => number, count: number): T[] {
  const first: T[] = [];
  for (const item of items) {
    if (first.length === count && compare(item, first[count - 1]!) >= 0) continue;
    let at = first.length;
    while (at > 0 && compare(item, first[at - 1]!) < 0) at--;
    first.splice(at, 0, item);
    if (first.length > count) first.pop();
  }
  return first;
}

/** Resolves the config's navigation entries (`about.md`, `notes/`) to output paths; returns the entries it cannot find. */
export function resolveNavigation(entries: readonly NavigationEntry[], pagesBySource: ReadonlyMap<string, string>, outputs: ReadonlySet<string>): { links: SiteLink[]; missing: string[] } {
  const links: SiteLink[] = [];
  const missing: string[] = [];
  for (const entry of entries) {
    const clean = entry.path.replace(/^\.?\//, '');
    const output = pagesBySource.get(clean) ?? (outputs.has(clean) ? clean : undefined) ?? (outputs.has(indexOutputOf(clean.replace(/\/$/, ''))) ? indexOutputOf(clean.replace(/\/$/, '')) : undefined);
    if (output === undefined) missing.push(entry.path);
    else links.push({ title: entry.title, outputPath: output });
  }
  return { links, missing };
}

/** Ancestors of a page, home first, each the index page of a folder above it (never the page itself). */
export function breadcrumbsFor(outputPath: string, titles: ReadonlyMap<string, string>, homeTitle: string): SiteLink[] {
  if (outputPath === 'index.html') return [];
  const folder = folderOf(outputPath);
  const ownFolder = outputPath.endsWith('/index.html') ? folder : undefined;
  const folders = [''];
  if (folder !== '') {
    const parts = folder.split('/');
    for (let index = 1; index <= parts.length; index++) folders.push(parts.slice(0, index).join('/'));
  }
  const trail: SiteLink[] = [];
  for (const ancestor of folders) {
    if (ancestor === ownFolder) continue;
    const output = indexOutputOf(ancestor);
    const title = ancestor === '' ? homeTitle : titles.get(output);
    if (title !== undefined && (ancestor !== '' || titles.has(output))) trail.push({ title, outputPath: output });
  }
  return trail;
}

/** Whether a menu entry is the current page or one of its folders. */
export function isCurrent(menuOutput: string, pageOutput: string): boolean {
  if (menuOutput === pageOutput) return true;
  if (menuOutput === 'index.html' || !menuOutput.endsWith('/index.html')) return false;
  return pageOutput.startsWith(menuOutput.slice(0, -'index.html'.length));
}

/** `notes/index.html`, 3 → `notes/page/3.html`: stable URLs, linked both ways from the listing's pages. */
export function listingPageOutput(indexOutput: string, number: number): string {
  if (number === 1) return indexOutput;
  const folder = folderOf(indexOutput);
  return folder === '' ? `page/${number}.html` : `${folder}/page/${number}.html`;
}

/**
 * The pages 2 … n of every listing longer than `size` entries, and the position of each index page that gets them
 * (page 1 of its listing), by output path. `listsChildren` says whether an index page's layout shows its listing
 * (a home page showing the latest posts does not, so it is never split).
 */
export function paginateListings(
  pages: readonly PageSummary[],
  size: number,
  listsChildren: (index: PageSummary) => boolean,
): { extra: PageSummary[]; positions: Map<string, ListingPosition> } {
  const counts = new Map<string, number>();
  for (const page of pages) {
    if (page.kind === 'not-found' || page.kind === 'listing-page') continue;
    const listedIn = listingIndexOf(page.outputPath);
    if (listedIn !== undefined) counts.set(listedIn, (counts.get(listedIn) ?? 0) + 1);
  }
  const extra: PageSummary[] = [];
  const positions = new Map<string, ListingPosition>();
  for (const index of pages) {
    if (!(index.kind === 'folder-index' || (index.kind === 'page' && isIndexSource(index.sourcePath, index.outputPath)))) continue;
    const total = Math.ceil((counts.get(index.outputPath) ?? 0) / size);
    if (total <= 1 || !listsChildren(index)) continue;
    positions.set(index.outputPath, { index: index.outputPath, number: 1, total, size });
    for (let number = 2; number <= total; number++) {
      const listing = { index: index.outputPath, number, total, size };
      const outputPath = listingPageOutput(index.outputPath, number);
      positions.set(outputPath, listing);
      extra.push({ sourcePath: '', outputPath, kind: 'listing-page', title: index.title, listing });
    }
  }
  return { extra, positions };
}

/** The index page whose listing shows this page: its folder's index, or for a folder index, its parent folder's. */
function listingIndexOf(outputPath: string): string | undefined {
  if (outputPath === 'index.html') return undefined;
  const folder = folderOf(outputPath);
  if (outputPath.endsWith('/index.html')) return indexOutputOf(folderOf(folder));
  return indexOutputOf(folder);
}

/** The layout a page gets when its front matter names none. */
export function defaultLayout(page: Pick<PageSummary, 'kind' | 'sourcePath' | 'outputPath'>, isPost: boolean): string {
  if (page.kind === 'not-found') return '404';
  if (page.kind === 'folder-index' || page.kind === 'listing-page') return 'list';
  if (page.outputPath === 'index.html' && isIndexSource(page.sourcePath)) return 'home';
  if (isIndexSource(page.sourcePath, page.outputPath)) return 'list';
  return isPost ? 'post' : 'page';
}
