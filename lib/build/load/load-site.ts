/** The load phase: config, sources, front matter and templates, turned into the plan of every file the build makes. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FleuronError, usageError } from '../../errors/fleuron-error.js';
import { contentHash } from '../cache/hash.js';
import { collectAliases, type Redirect } from '../render/aliases.js';
import { FEED_PATH } from '../render/feed.js';
import type { PageJob, RenderContext } from '../render/render-context.js';
import { folderOf, folderTitle, isIndexSource, missingFolderIndexes, postsOf, resolveNavigation, type PageSummary, type SiteLink } from '../render/site-map.js';
import { SITEMAP_PATH } from '../render/sitemap.js';
import { wordsFor } from '../render/words.js';
import { fingerprintedName } from './fingerprint.js';
import { readImageSizes } from './image-sizes.js';
import { loadPages, type LoadedPage, type SourceMemory } from './pages.js';
import { loadSiteConfig, type SiteConfig } from './site-config.js';
import { scanSources } from './sources.js';
import { loadTemplates, themeAssets } from './templates.js';

/** The theme's stylesheet, linked from every page (a site file of the same name replaces it), under its fingerprinted name. */
export const STYLESHEET = 'theme.css';

/** Icons a site may put at its root, in order of preference; without one, pages declare an empty icon (see base.liquid). */
export const SITE_ICONS = ['favicon.svg', 'favicon.ico', 'favicon.png'] as const;

export interface LoadSiteOptions {
  sourceDir: string;
  /** How the site folder is named in messages (`site-src`). */
  sourceLabel: string;
  drafts: boolean;
  /** The page files earlier builds read: those unchanged since are not read again. */
  memory?: SourceMemory;
  warn: (line: string) => void;
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
  /** The theme's assets (or the site's files replacing them): plain name (`theme.css`) → fingerprinted output path. */
  assets: Map<string, string>;
}

export async function loadSite(options: LoadSiteOptions): Promise<SitePlan> {
  const { sourceDir, sourceLabel } = options;
  const { config, file: configFile } = await loadSiteConfig(sourceDir);
  const configLabel = configFile ? path.relative(process.cwd(), configFile) : `${sourceLabel}/fleuron.yaml`;
  const [files, templates, themeFiles] = await Promise.all([scanSources(sourceDir), loadTemplates(sourceDir), themeAssets()]);
  const loaded = await loadPages(files, { sourceLabel, maxFileBytes: config.markdown.maxFileKb * 1024, ...(options.memory ? { memory: options.memory } : {}) });
  const isLeftOut = (page: LoadedPage) => page.frontMatter.draft && !options.drafts;
  const pages = loaded.filter((page) => !isLeftOut(page));
  const drafts = loaded.filter(isLeftOut).map((page) => page.sourcePath);

  const copies = new Map<string, string>(themeFiles);
  for (const file of files) if (!file.isPage) copies.set(file.outputPath, file.absolutePath);
  const assets = fingerprintAssets(copies, themeFiles.keys());
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

  let menu: SiteLink[] | undefined;
  if (config.navigation) {
    const resolved = resolveNavigation(config.navigation, new Map(pages.map((page) => [page.sourcePath, page.outputPath])), outputs);
    if (resolved.missing.length > 0) {
      throw usageError('config-invalid', `${configLabel}: navigation entry "${resolved.missing[0]}" matches no page of ${sourceLabel}`, 'write the source path of a page (about.md) or folder (notes/)');
    }
    menu = resolved.links;
    // A generated folder index takes the title the menu gives its folder (`Réunions` rather than `Reunions`).
    const menuTitles = new Map(menu.map((link) => [link.outputPath, link.title]));
    for (const page of generated) if (page.kind === 'folder-index') page.title = menuTitles.get(page.outputPath) ?? page.title;
  }
  const aliases = collectAliases(
    pages.map((page) => ({ sourcePath: page.sourcePath, outputPath: page.outputPath, aliases: page.frontMatter.aliases })),
    outputs,
    sourceLabel,
  );

  const icon = SITE_ICONS.find((name) => copies.has(name));
  const imageSizes = await readImageSizes(copies);
  const context: RenderContext = {
    config,
    templates,
    pages: allSummaries,
    drafts,
    outputs: [...outputs].sort(),
    imageSizes,
    stylesheets: assets.has(STYLESHEET) ? [assets.get(STYLESHEET)!] : [],
    ...(icon ? { icon } : {}),
    sourceLabel,
    ...(menu ? { menu } : {}),
    ...(feed ? { feed } : {}),
  };
  const jobs: PlannedPage[] = [
    ...pages.map((page) => ({ ...page, kind: page.sourcePath === '404.md' ? ('not-found' as const) : ('page' as const) })),
    ...generated.map((page) => ({
      sourcePath: page.sourcePath,
      outputPath: page.outputPath,
      kind: page.kind,
      text: '',
      textHash: contentHash(''),
      frontMatter: { title: page.title, draft: false, aliases: [], extra: {} },
      bodyLine: 1,
    })),
  ];
  return { config, context, jobs, posts, aliases, copies, assets, ...(feed ? { feed } : {}), ...(sitemap ? { sitemap } : {}) };
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
