/** The load phase: config, sources, front matter and templates, turned into the plan of every file the build makes. */
import path from 'node:path';
import { usageError } from '../../errors/fleuron-error.js';
import { contentHash } from '../cache/hash.js';
import { collectAliases, type Redirect } from './aliases.js';
import type { FrontMatter } from './front-matter.js';
import { FEED_PATH, SITEMAP_PATH } from './url-map.js';
import { folderOf, folderTitle, isIndexSource, missingFolderIndexes, postsOf, resolveNavigation, type PageKind, type PageSummary, type SiteLink } from './site-map.js';
import { wordsFor } from './words.js';
import { loadPages, type LoadedPage, type SourceMemory } from './pages.js';
import { loadSiteConfig, type SiteConfig } from './site-config.js';
import { scanSources } from './sources.js';
import { loadTemplates, themeAssets, type TemplateSet } from './templates.js';

/** The theme's stylesheet, linked from every page (a site file of the same name replaces it). */
export const STYLESHEET = 'theme.css';

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
  /** Files copied as they are: output path → absolute source path. */
  copies: Map<string, string>;
}

export async function loadSite(options: LoadSiteOptions): Promise<SitePlan> {
  const { sourceDir, sourceLabel } = options;
  const { config, file: configFile } = await loadSiteConfig(sourceDir);
  const configLabel = configFile ? path.relative(process.cwd(), configFile) : `${sourceLabel}/fleuron.yaml`;
  const [files, templates, themeFiles] = await Promise.all([scanSources(sourceDir), loadTemplates(sourceDir, options.themeDir), themeAssets(options.themeDir)]);
  const loaded = await loadPages(files, { sourceLabel, maxFileBytes: config.markdown.maxFileKb * 1024, ...(options.memory ? { memory: options.memory } : {}) });
  const isLeftOut = (page: LoadedPage) => page.frontMatter.draft && !options.drafts;
  const pages = loaded.filter((page) => !isLeftOut(page));
  const drafts = loaded.filter(isLeftOut).map((page) => page.sourcePath);

  const copies = new Map<string, string>(themeFiles);
  for (const file of files) if (!file.isPage) copies.set(file.outputPath, file.absolutePath);
  const outputs = new Set<string>([...pages.map((page) => page.outputPath), ...copies.keys()]);

  const summaries = pages.map((page) => summaryOf(page, config));
  const generated = missingFolderIndexes(summaries, outputs, config.title);
  if (!outputs.has('404.html')) generated.push({ sourcePath: '', outputPath: '404.html', kind: 'not-found', title: wordsFor(config.language).notFoundTitle });
  for (const page of generated) outputs.add(page.outputPath);
  const allSummaries = [...summaries, ...generated].sort((a, b) => (a.outputPath < b.outputPath ? -1 : 1));

  const posts = postsOf(allSummaries, config.language);
  const feed = posts.length > 0 && config.baseUrl !== undefined && !outputs.has(FEED_PATH) ? FEED_PATH : undefined;
  const sitemap = config.baseUrl !== undefined && !outputs.has(SITEMAP_PATH) ? SITEMAP_PATH : undefined;
  if (!config.baseUrl && posts.length > 0) options.warn(`${configLabel}: no baseUrl, so no feed.xml and no sitemap.xml (they need absolute URLs)`);
  if (feed) outputs.add(feed);
  if (sitemap) outputs.add(sitemap);

  const menu = config.navigation ? siteNavigation(config.navigation, pages, generated, outputs, configLabel, sourceLabel) : undefined;
  const aliases = collectAliases(
    pages.map((page) => ({ sourcePath: page.sourcePath, outputPath: page.outputPath, aliases: page.frontMatter.aliases })),
    outputs,
    sourceLabel,
  );

  const icon = SITE_ICONS.find((name) => copies.has(name));
  const context: RenderContext = {
    config,
    templates,
    pages: allSummaries,
    drafts,
    outputs: [...outputs].sort(),
    stylesheets: copies.has(STYLESHEET) ? [STYLESHEET] : [],
    ...(icon ? { icon } : {}),
    sourceLabel,
    ...(menu ? { menu } : {}),
    ...(feed ? { feed } : {}),
  };
  const jobs: PlannedPage[] = [
    ...pages.map((page) => ({ ...page, kind: page.sourcePath === '404.md' ? ('not-found' as const) : ('page' as const) })),
    ...generated.map(generatedJob),
  ];
  return { config, context, jobs, posts, aliases, copies, ...(feed ? { feed } : {}), ...(sitemap ? { sitemap } : {}) };
}

/** A page the site gets without a source (a folder index, 404): no text, a title only. */
function generatedJob(page: PageSummary): PlannedPage {
  return {
    sourcePath: page.sourcePath,
    outputPath: page.outputPath,
    kind: page.kind,
    text: '',
    textHash: contentHash(''),
    frontMatter: { title: page.title, draft: false, aliases: [], extra: {} },
    bodyLine: 1,
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

/** What the rest of the site needs to know about a page; the title defaults to the folder or file name. */
export function summaryOf(page: LoadedPage, config: SiteConfig): PageSummary {
  const { frontMatter } = page;
  const fallback = () => {
    const folder = folderOf(page.outputPath);
    if (isIndexSource(page.sourcePath)) return folder === '' ? config.title : folderTitle(folder);
    return folderTitle(page.sourcePath.replace(/\.(md|markdown)$/i, ''));
  };
  const summary: PageSummary = {
    sourcePath: page.sourcePath,
    outputPath: page.outputPath,
    kind: page.sourcePath === '404.md' ? 'not-found' : 'page',
    title: frontMatter.title ?? fallback(),
  };
  if (frontMatter.description !== undefined) summary.description = frontMatter.description;
  if (frontMatter.date !== undefined) summary.date = frontMatter.date;
  if (frontMatter.updated !== undefined) summary.updated = frontMatter.updated;
  if (frontMatter.weight !== undefined) summary.weight = frontMatter.weight;
  return summary;
}
