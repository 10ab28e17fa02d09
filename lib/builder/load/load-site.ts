/** The load phase: config, sources, front matter and templates, turned into the plan of every file the build makes. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FleuronError, usageError } from '../../errors/fleuron-error.js';
import { leftoversWarning } from '../../ignore/ignore-list.js';
import { contentHash } from '../cache/hash.js';
import { collectAliases, type Redirect } from './aliases.js';
import type { FrontMatter } from './front-matter.js';
import { FEED_PATH, outputPathFor, SITEMAP_PATH } from './url-map.js';
import { defaultLayout, folderOf, folderTitle, isIndexSource, missingFolderIndexes, paginateListings, postsOf, resolveNavigation, type ListingPosition, type PageKind, type PageSummary, type SiteLink } from './site-map.js';
import { TemplateDeps } from './template-deps.js';
import { wordsFor } from './words.js';
import type { PlanetSection } from './planet/planet-section.js';
import { BOOK_SUMMARY, parseBookSummary, type BookEntry } from './book-summary.js';
import { Notices } from './notices.js';
import { fingerprintedName } from './fingerprint.js';
import { readImageSizes, type ImageSizes } from './image-sizes.js';
import { loadPages, readPageText, type LoadedPage, type LoadPagesOptions, type SourceMemory } from './pages.js';
import type { StampKey } from '../../files/file-stamp.js';
import { loadSiteConfig, type SiteConfig } from './site-config.js';
import { assertDistinctOutputs, scanSources, type SourceFile } from './sources.js';
import { loadTemplates, themeAssets, type TemplateSet } from './templates.js';

/** The theme's stylesheet, linked from every page (a site file of the same name replaces it), under its fingerprinted name. */
export const STYLESHEET = 'theme.css';

/** The theme's syntax highlighting styles, published and linked only with `markdown.highlight`. */
export const HIGHLIGHT_STYLESHEET = 'highlight.css';

/** Icons a site may put at its root, in order of preference; without one, pages declare an empty icon (see base.liquid). */
export const SITE_ICONS = ['favicon.svg', 'favicon.ico', 'favicon.png'] as const;

export interface LoadSiteOptions {
  sourceDir: string;
  /** How the site folder is named in messages (`site-src`). */
  sourceLabel: string;
  drafts: boolean;
  /** The theme's folder (templates and assets). */
  themeDir: string;
  /** The page files earlier builds read: those unchanged since are not read again. */
  memory?: SourceMemory;
  /** Where the planet keeps its feeds between builds, and whether to fetch them (see lib/builder/load/planet/). */
  planet?: { cacheFile: string; offline: boolean };
  /** The site folder's files as the caller knows them (the preview, told by its watcher that only pages changed): not walked then. */
  scanned?: SourceScan;
  warn: (line: string) => void;
}

/** Everything a page render needs besides the page itself; plain data so it can be sent to worker threads. */
export interface RenderContext {
  config: SiteConfig;
  templates: TemplateSet;
  /** Every page of the build: sources, generated folder indexes and 404. */
  pages: PageSummary[];
  /** Source paths of drafts left out. */
  drafts: string[];
  /** Every output path of the build (pages and copied files). */
  outputs: string[];
  /** The config's navigation resolved to output paths, when it has one. */
  menu?: SiteLink[];
  /** Intrinsic sizes of the site's images, by output path (written into their `<img>`). */
  imageSizes: ImageSizes;
  /** Stylesheets every page links to, by output path. */
  stylesheets: string[];
  /** Output path of the Atom feed, when the site has one. */
  feed?: string;
  /** Output path of the site's own icon (`favicon.svg`, `.ico` or `.png` at its root), when it has one. */
  icon?: string;
  /** The site folder, as the reader should see it in messages (`site-src`). */
  sourceLabel: string;
}

/** One page to render. */
export interface PageJob {
  sourcePath: string;
  outputPath: string;
  kind: PageKind;
  /** The whole Markdown file (empty for generated pages). */
  text: string;
  frontMatter: FrontMatter;
  bodyLine: number;
  /** On the pages of a listing split over several pages: which part of the folder's listing this page shows. */
  listing?: ListingPosition;
}

/** A page to render, whose text is only read if it has to be rendered (see loadPages). */
export interface PlannedPage extends Omit<PageJob, 'text'> {
  text?: string;
  textHash: string;
  /** The page file (generated pages have none, and an empty text). */
  absolutePath?: string;
}

/** Everything the render and write phases need. */
export interface SitePlan {
  config: SiteConfig;
  /** What every page render may depend on besides its own source. */
  context: RenderContext;
  /** The pages to render: Markdown pages, generated folder indexes, 404. */
  jobs: PlannedPage[];
  /** Dated pages, newest first. */
  posts: PageSummary[];
  feed?: string;
  sitemap?: string;
  aliases: Redirect[];
  /** Warnings about what fleuron did not take from the sources as they are, for the end of the build. */
  notices: string[];
  /** Files copied as they are: output path → absolute source path. */
  copies: Map<string, string>;
  /** Other generated files (the planet's feed and OPML) by output path → content. */
  generatedFiles: Map<string, string>;
  /** The theme's assets (or the site's files replacing them): plain name (`theme.css`) → fingerprinted output path. */
  assets: Map<string, string>;
  /** The site folder's files, as walked (or given), with the pages loaded from them. */
  scan: SourceScan;
  /** Whether the build used the scan it was given (options.scanned) rather than walking the folder. */
  scanGiven: boolean;
}

/** The site folder's files as a walk found them. */
export interface SourceScan {
  files: SourceFile[];
  /** Editor leftovers left out (for one warning). */
  leftovers: string[];
  /** What the walk warned about (linked folders): said again by a build given the scan instead of walking. */
  warnings: string[];
  /** The config the walk was made with (as JSON): a scan given to a build with another config is walked again. */
  config: string;
  /** The pages the last build loaded, by source path, with the trusted stamp of the file they were loaded from. */
  loaded?: ReadonlyMap<string, { stamp: StampKey; page: LoadedPage }>;
}

export async function loadSite(options: LoadSiteOptions): Promise<SitePlan> {
  const { sourceLabel } = options;
  const inputs = await readInputs(options);
  const { config, configLabel, scan, templates, planet } = inputs;
  const { pages: readPagesList, drafts, notices, book, loaded } = await readPages(inputs, options);
  const { copies, assets } = copiedFiles(inputs.themeFiles, scan.files, config);
  const outputs = new Set<string>([...readPagesList.map((page) => page.outputPath), ...copies.keys()]);
  if (planet) addPlanetOutputs(planet, outputs, config.planet!.path, sourceLabel, configLabel);
  const pages = dropUnknownLayouts(readPagesList, templates, notices);

  const summaries = [...pages.map((page) => summaryOf(page, config, book?.get(page.sourcePath))), ...(planet?.summaries ?? [])];
  const generated = missingFolderIndexes(summaries, outputs, config.title);
  weighFolderIndexes(generated, summaries);
  if (!outputs.has('404.html')) generated.push({ sourcePath: '', outputPath: '404.html', kind: 'not-found', title: wordsFor(config.language).notFoundTitle });
  for (const page of generated) outputs.add(page.outputPath);
  const posts = postsOf([...summaries, ...generated].sort(byOutputPath), config.language);
  const { feed, sitemap } = feedAndSitemap(config, posts.length > 0, outputs, configLabel, options.warn);

  const menu = config.navigation ? siteNavigation(config.navigation, pages, generated, outputs, configLabel, sourceLabel) : undefined;
  const listings = paginate([...summaries, ...generated], pages, templates, config.pagination.pageSize, outputs, sourceLabel);
  for (const page of listings.extra) outputs.add(page.outputPath);
  const aliases = collectAliases(
    pages.map((page) => ({ sourcePath: page.sourcePath, outputPath: page.outputPath, aliases: page.frontMatter.aliases })),
    outputs,
    sourceLabel,
  );

  const icon = SITE_ICONS.find((name) => copies.has(name));
  const context: RenderContext = {
    config,
    templates,
    pages: [...summaries, ...generated, ...listings.extra].sort(byOutputPath),
    drafts,
    outputs: [...outputs].sort(),
    imageSizes: await readImageSizes(copies),
    // Each linked by its fingerprinted name: the theme's, and highlight.css when asked for.
    stylesheets: [STYLESHEET, ...(config.markdown.highlight ? [HIGHLIGHT_STYLESHEET] : [])].flatMap((sheet) => (assets.has(sheet) ? [assets.get(sheet)!] : [])),
    ...(icon ? { icon } : {}),
    sourceLabel,
    ...(menu ? { menu } : {}),
    ...(feed ? { feed } : {}),
  };
  const jobs = plannedJobs(pages, generated, listings, planet);
  const generatedFiles = planet?.files ?? new Map<string, string>();
  const knownLayouts = Object.keys(templates.sources).map((name) => name.replace(/\.liquid$/, '')).sort();
  return { config, context, jobs, posts, aliases, copies, assets, generatedFiles, scan: { ...scan, loaded }, scanGiven: scan === options.scanned, notices: notices.lines(knownLayouts), ...(feed ? { feed } : {}), ...(sitemap ? { sitemap } : {}) };
}

const byOutputPath = (a: PageSummary, b: PageSummary) => (a.outputPath < b.outputPath ? -1 : 1);

interface SiteInputs {
  config: SiteConfig;
  configLabel: string;
  scan: SourceScan;
  templates: TemplateSet;
  themeFiles: Map<string, string>;
  planet: PlanetSection | undefined;
}

/** The config, the site folder's files (walked, or as the caller knows them: options.scanned), the templates, the planet. */
async function readInputs(options: LoadSiteOptions): Promise<SiteInputs> {
  const { sourceDir } = options;
  const { config, file: configFile } = await loadSiteConfig(sourceDir);
  const configLabel = configFile ? path.relative(process.cwd(), configFile) : `${options.sourceLabel}/fleuron.yaml`;
  const configJson = JSON.stringify(config);
  const given = options.scanned?.config === configJson ? options.scanned : undefined;
  const [scan, templates, themeFiles, planet] = await Promise.all([
    given ?? walkSources(sourceDir, config, configJson, options.warn),
    loadTemplates(sourceDir, options.themeDir),
    themeAssets(options.themeDir),
    loadPlanet(config, configLabel, options),
  ]);
  if (given) scan.warnings.forEach(options.warn);
  if (scan.leftovers.length > 0) options.warn(leftoversWarning(scan.leftovers, 'build'));
  return { config, configLabel, scan, templates, themeFiles, planet };
}

async function walkSources(sourceDir: string, config: SiteConfig, configJson: string, warn: (line: string) => void): Promise<SourceScan> {
  const leftovers: string[] = [];
  const warnings: string[] = [];
  const files = await scanSources(sourceDir, {
    onLeftover: (sourcePath) => leftovers.push(sourcePath),
    warn: (line) => {
      warnings.push(line);
      warn(line);
    },
    urls: config.urls,
  });
  return { files, leftovers, warnings, config: configJson };
}

/** The pages to build (drafts and snippets left out), with what did not come over as written noted. */
async function readPages(inputs: SiteInputs, options: LoadSiteOptions): Promise<{ pages: LoadedPage[]; drafts: string[]; notices: Notices; book: Map<string, BookEntry> | undefined; loaded: NonNullable<SourceScan['loaded']> }> {
  const { sourceLabel } = options;
  const { files } = inputs.scan;
  const summaryFile = files.find((file) => file.sourcePath === BOOK_SUMMARY);
  const book = summaryFile ? parseBookSummary(readPageText(summaryFile, sourceLabel)) : undefined;
  const pageFiles = book && book.size > 0 ? files.filter((file) => file !== summaryFile) : files;
  const loadOptions = { sourceLabel, maxFileBytes: inputs.config.markdown.maxFileKb * 1024, ...(options.memory ? { memory: options.memory } : {}) };
  const pageList = pageFiles.filter((file) => file.isPage);
  const loaded = await loadPagesAgain(pageList, inputs.scan.loaded, loadOptions);
  applySlugs(loaded, files, inputs.config);
  const notices = new Notices(sourceLabel);
  for (const page of loaded) notices.addPage(page);
  const isLeftOut = (page: LoadedPage) => page.frontMatter.draft && !options.drafts;
  // Snippets (Hugo's headless pages, Zola's `render = false`) exist only inside the pages that include them.
  const pages = loaded.filter((page) => !isLeftOut(page) && !page.frontMatter.headless);
  return { pages, drafts: loaded.filter(isLeftOut).map((page) => page.sourcePath), notices, book, loaded: loadedByStamp(pageList, loaded) };
}

/**
 * loadPages, except that a page the last build loaded from a file unchanged since (same trusted stamp, no includes)
 * is taken as it was: after a page edit, 3,999 pages of 4,000 are neither looked up in the cache nor made again.
 */
async function loadPagesAgain(pageFiles: readonly SourceFile[], previous: SourceScan['loaded'], options: LoadPagesOptions): Promise<LoadedPage[]> {
  if (!previous) return loadPages(pageFiles, options);
  const kept: (LoadedPage | undefined)[] = [];
  const toLoad: SourceFile[] = [];
  for (const file of pageFiles) {
    const before = previous.get(file.sourcePath);
    if (before && file.trustedStamp !== undefined && before.stamp === file.trustedStamp && !before.page.body.includes) {
      kept.push(before.page);
      options.memory?.keep(file.sourcePath);
    } else {
      kept.push(undefined);
      toLoad.push(file);
    }
  }
  const fresh = await loadPages(toLoad, options);
  let next = 0;
  return kept.map((page) => page ?? fresh[next++]!);
}

/** The loaded pages whose file had a trusted stamp, by source path (`loaded` in the order of `pageFiles`). */
function loadedByStamp(pageFiles: readonly SourceFile[], loaded: readonly LoadedPage[]): NonNullable<SourceScan['loaded']> {
  const byPath = new Map<string, { stamp: StampKey; page: LoadedPage }>();
  loaded.forEach((page, index) => {
    const stamp = pageFiles[index]!.trustedStamp;
    if (stamp !== undefined) byPath.set(page.sourcePath, { stamp, page });
  });
  return byPath;
}

/** Files copied as they are (the theme's assets under their fingerprinted names), and the assets' names. */
function copiedFiles(themeFiles: ReadonlyMap<string, string>, files: readonly SourceFile[], config: SiteConfig): { copies: Map<string, string>; assets: Map<string, string> } {
  const copies = new Map<string, string>(themeFiles);
  if (!config.markdown.highlight) copies.delete(HIGHLIGHT_STYLESHEET);
  for (const file of files) if (!file.isPage) copies.set(file.outputPath, file.absolutePath);
  const assets = fingerprintAssets(copies, [...themeFiles.keys()].filter((name) => copies.has(name)));
  return { copies, assets };
}

/**
 * A page naming a layout the site does not have is built with its default layout, and noted. A copy is changed, not
 * the loaded page: a later build may take that again (see loadPagesAgain) and must note the same.
 */
function dropUnknownLayouts(pages: readonly LoadedPage[], templates: TemplateSet, notices: Notices): LoadedPage[] {
  return pages.map((page) => {
    const { layout } = page.frontMatter;
    // Not layouts.ts's hasLayout: that module loads liquidjs, which a rebuild with nothing to render never needs.
    if (layout === undefined || Object.hasOwn(templates.sources, `${layout}.liquid`)) return page;
    notices.addLayout(layout, page.sourcePath);
    const { layout: _unknown, ...frontMatter } = page.frontMatter;
    return { ...page, frontMatter };
  });
}

/** The Atom feed and the sitemap, unless the site has files of those names or no base URL (then it is told why). */
function feedAndSitemap(config: SiteConfig, hasPosts: boolean, outputs: Set<string>, configLabel: string, warn: (line: string) => void): { feed?: string; sitemap?: string } {
  const feed = hasPosts && config.baseUrl !== undefined && !outputs.has(FEED_PATH) ? FEED_PATH : undefined;
  const sitemap = config.baseUrl !== undefined && !outputs.has(SITEMAP_PATH) ? SITEMAP_PATH : undefined;
  if (!config.baseUrl && hasPosts) warn(`${configLabel}: no baseUrl, so no feed.xml and no sitemap.xml (they need absolute URLs)`);
  if (feed) outputs.add(feed);
  if (sitemap) outputs.add(sitemap);
  return { ...(feed ? { feed } : {}), ...(sitemap ? { sitemap } : {}) };
}

/** Every page to render: the site's, generated folder indexes and 404, the later pages of long listings, the planet's. */
function plannedJobs(pages: readonly LoadedPage[], generated: readonly PageSummary[], listings: { extra: PageSummary[]; positions: Map<string, ListingPosition> }, planet: PlanetSection | undefined): PlannedPage[] {
  const listingOf = (outputPath: string) => {
    const listing = listings.positions.get(outputPath);
    return listing ? { listing } : {};
  };
  const sourceFrontMatter = new Map(pages.map((page) => [page.outputPath, page.frontMatter]));
  return [
    ...pages.map((page) => pageJob(page, listings.positions.get(page.outputPath))),
    ...generated.map((page) => generatedJob({ ...page, ...listingOf(page.outputPath) })),
    ...listings.extra.map((page) => generatedJob(page, page.listing && sourceFrontMatter.get(page.listing.index))),
    ...(planet?.jobs ?? []),
  ];
}

/**
 * Moves each theme asset (or the site's file of the same name, which replaces it) to its fingerprinted name in
 * `copies`; returns plain name → fingerprinted name. The bytes are read at every build: a theme has a few small files.
 */
function fingerprintAssets(copies: Map<string, string>, names: Iterable<string>): Map<string, string> {
  const assets = new Map<string, string>();
  for (const name of names) {
    const source = copies.get(name)!;
    let bytes: Buffer;
    try {
      bytes = readFileSync(source);
    } catch (error) {
      throw new FleuronError('file-unreadable', `cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
        hint: 'check that the file is readable',
        cause: error,
      });
    }
    const fingerprinted = fingerprintedName(name, bytes);
    copies.delete(name);
    copies.set(fingerprinted, source);
    assets.set(name, fingerprinted);
  }
  return assets;
}

/** The planet's pages and files, when the config has a planet and the build was given a place for its cache. */
async function loadPlanet(config: SiteConfig, configLabel: string, options: LoadSiteOptions): Promise<PlanetSection | undefined> {
  if (!config.planet || !options.planet) return undefined;
  // Loaded on use: the feed parser and the HTML-to-text converter are not needed by a site without a planet.
  const { planetSection } = await import('./planet/planet-section.js');
  return planetSection(config as SiteConfig & { planet: NonNullable<SiteConfig['planet']> }, { ...options.planet, configLabel, warn: options.warn });
}

/** The planet's folder belongs to it: a page or file of the site at one of its paths is a configuration mistake. */
function addPlanetOutputs(planet: PlanetSection, outputs: Set<string>, folder: string, sourceLabel: string, configLabel: string): void {
  for (const outputPath of [...planet.summaries.map((page) => page.outputPath), ...planet.files.keys()]) {
    if (outputs.has(outputPath)) {
      throw usageError('config-invalid', `${configLabel}: the planet's ${outputPath} would replace ${sourceLabel}/${outputPath.replace(/\.html$/, '.md')} (or a file of that name)`, `choose another planet.path than ${folder}, or move that page`);
    }
    outputs.add(outputPath);
  }
}

function layoutOf(frontMatter: { layout?: string } | undefined): { layout?: string } {
  return frontMatter?.layout === undefined ? {} : { layout: frontMatter.layout };
}

/**
 * Splits the listings longer than a page (see paginateListings): only index pages whose layout shows their listing
 * (`page.children`) are split. A source file where a listing page would go is an error naming both.
 */
function paginate(
  summaries: readonly PageSummary[],
  pages: readonly LoadedPage[],
  templates: SitePlan['context']['templates'],
  pageSize: number,
  outputs: ReadonlySet<string>,
  sourceLabel: string,
): { extra: PageSummary[]; positions: Map<string, ListingPosition> } {
  const deps = new TemplateDeps(templates);
  const layouts = new Map(pages.map((page) => [page.outputPath, page.frontMatter.layout]));
  const listings = paginateListings(summaries, pageSize, (index) => deps.uses(layouts.get(index.outputPath) ?? defaultLayout(index, false), 'children'));
  const taken = listings.extra.find((page) => outputs.has(page.outputPath));
  if (taken) {
    throw usageError('output-collision', `${sourceLabel}/${taken.outputPath} is a file of the site and also page ${taken.listing!.number} of the listing of ${taken.listing!.index}`, 'rename the file, or set a larger pagination.pageSize in fleuron.yaml');
  }
  return listings;
}

/** A page's `slug` replaces its file name in its output path; two pages may not end up at one path. */
function applySlugs(pages: LoadedPage[], files: readonly SourceFile[], config: SiteConfig): void {
  let changed = false;
  for (const page of pages) {
    const { slug } = page.frontMatter;
    if (slug === undefined || isIndexSource(page.sourcePath, page.outputPath)) continue;
    const outputPath = outputPathFor(page.sourcePath, config.urls, slug);
    if (outputPath !== page.outputPath) {
      page.outputPath = outputPath;
      changed = true;
    }
  }
  if (changed) {
    const bySource = new Map(pages.map((page) => [page.sourcePath, page.outputPath]));
    assertDistinctOutputs(files.map((file) => ({ sourcePath: file.sourcePath, outputPath: bySource.get(file.sourcePath) ?? file.outputPath })));
  }
}

/** A generated folder index sorts where its first page does (mdBook chapters, weighted Hugo sections without `_index.md`). */
function weighFolderIndexes(generated: PageSummary[], pages: readonly PageSummary[]): void {
  if (!pages.some((page) => page.weight !== undefined)) return;
  for (const index of generated) {
    if (index.kind !== 'folder-index' || index.outputPath === 'index.html') continue;
    const prefix = index.outputPath.slice(0, -'index.html'.length);
    const weights = pages.filter((page) => page.outputPath.startsWith(prefix) && page.weight !== undefined).map((page) => page.weight!);
    if (weights.length > 0) index.weight = Math.min(...weights);
  }
}

/**
 * The job of a loaded page, made once per page object: a rebuild after a page edit takes the other pages' objects
 * as they were (see loadPagesAgain), and their jobs with them. Jobs are never changed once made.
 */
const jobsOfPages = new WeakMap<LoadedPage, { listing: ListingPosition | undefined; job: PlannedPage }>();

function pageJob(page: LoadedPage, listing: ListingPosition | undefined): PlannedPage {
  const known = jobsOfPages.get(page);
  if (known && sameListing(known.listing, listing)) return known.job;
  const job = { ...page, kind: page.sourcePath === '404.md' ? ('not-found' as const) : ('page' as const), ...(listing ? { listing } : {}) };
  jobsOfPages.set(page, { listing, job });
  return job;
}

function sameListing(a: ListingPosition | undefined, b: ListingPosition | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.number === b.number && a.total === b.total && a.size === b.size && a.index === b.index);
}

/** A page the site gets without a source (a folder index, 404): no text, a title only. */
function generatedJob(page: PageSummary, firstPageFrontMatter?: { layout?: string }): PlannedPage {
  return {
    sourcePath: page.sourcePath,
    outputPath: page.outputPath,
    kind: page.kind,
    text: '',
    textHash: contentHash(''),
    // A later page of a listing has its first page's layout (without its text: the text shows on page 1 only).
    frontMatter: { title: page.title, draft: false, aliases: [], extra: {}, ...layoutOf(firstPageFrontMatter) },
    bodyLine: 1,
    ...(page.listing ? { listing: page.listing } : {}),
  };
}

/**
 * The config's navigation as links to output paths (an entry naming no page is a config error). A generated folder
 * index takes the title the menu gives its folder (`Réunions` rather than `Reunions`).
 */
function siteNavigation(navigation: NonNullable<SiteConfig['navigation']>, pages: readonly LoadedPage[], generated: PageSummary[], outputs: ReadonlySet<string>, configLabel: string, sourceLabel: string): SiteLink[] {
  const resolved = resolveNavigation(navigation, new Map(pages.map((page) => [page.sourcePath, page.outputPath])), outputs);
  if (resolved.missing.length > 0) {
    throw usageError('config-invalid', `${configLabel}: navigation entry "${resolved.missing[0]}" matches no page of ${sourceLabel}`, 'write the source path of a page (about.md) or folder (notes/)');
  }
  const menuTitles = new Map(resolved.links.map((link) => [link.outputPath, link.title]));
  for (const page of generated) if (page.kind === 'folder-index') page.title = menuTitles.get(page.outputPath) ?? page.title;
  return resolved.links;
}

/**
 * What the rest of the site needs to know about a page. Its title: the front matter's, else the book summary's
 * (mdBook), else its first `# heading`, else the folder or file name. Its weight: the front matter's, else its
 * place in the book summary.
 */
export function summaryOf(page: Pick<LoadedPage, 'sourcePath' | 'outputPath' | 'frontMatter'> & { body?: LoadedPage['body'] }, config: SiteConfig, bookEntry?: BookEntry): PageSummary {
  const { frontMatter } = page;
  const summary: PageSummary = {
    sourcePath: page.sourcePath,
    outputPath: page.outputPath,
    kind: page.sourcePath === '404.md' ? 'not-found' : 'page',
    title: frontMatter.title ?? bookEntry?.title ?? page.body?.heading ?? fallbackTitle(page, config),
  };
  if (frontMatter.description !== undefined) summary.description = frontMatter.description;
  if (frontMatter.date !== undefined) summary.date = frontMatter.date;
  if (frontMatter.updated !== undefined) summary.updated = frontMatter.updated;
  const weight = frontMatter.weight ?? bookEntry?.order;
  if (weight !== undefined) summary.weight = weight;
  return summary;
}

/**
 * A page's title from its folder or file name. Not a closure in summaryOf: the bundle keeps functions' names, and
 * naming a new closure for each of 4,000 pages at every rebuild showed in the preview's profile (~1 ms a rebuild).
 */
function fallbackTitle(page: Pick<LoadedPage, 'sourcePath' | 'outputPath'>, config: SiteConfig): string {
  const folder = folderOf(page.outputPath);
  if (isIndexSource(page.sourcePath, page.outputPath)) return folder === '' ? config.title : folderTitle(folder);
  return folderTitle(page.sourcePath.replace(/\.(md|markdown)$/i, ''));
}
