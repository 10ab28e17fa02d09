/** Everything a page render needs besides the page itself; plain data so it can be sent to worker threads. */
import type { Liquid } from 'liquidjs';
import type { FrontMatter } from '../load/front-matter.js';
import type { SiteConfig } from '../load/site-config.js';
import type { ImageSizes } from './image-dimensions.js';
import { createLayoutEngine, type TemplateSet } from './layouts.js';
import type { LinkTargets } from './links.js';
import { breadcrumbsFor, folderListing, postsOf, siteMenu, type PageKind, type PageSummary, type SiteLink } from './site-map.js';
import { wordsFor, type ThemeWords } from './words.js';

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
}

/** The render context with its lookups built once. */
export interface PreparedSite {
  context: RenderContext;
  words: ThemeWords;
  engine: Liquid;
  targets: LinkTargets;
  titles: Map<string, string>;
  menu: SiteLink[];
  latestPosts: SiteLink[];
  breadcrumbs: (outputPath: string) => SiteLink[];
  listing: (outputPath: string) => SiteLink[];
}

export function prepareSite(context: RenderContext): PreparedSite {
  const words = wordsFor(context.config.language);
  const language = context.config.language;
  const titles = new Map(context.pages.map((page) => [page.outputPath, page.title]));
  const pages = new Map<string, string>();
  for (const page of context.pages) if (page.kind !== 'folder-index') pages.set(page.sourcePath, page.outputPath);
  const latestPosts = postsOf(context.pages, language)
    .slice(0, 5)
    .map((post) => ({ title: post.title, outputPath: post.outputPath, date: post.date! }));
  return {
    context,
    words,
    engine: createLayoutEngine(context.templates),
    targets: { pages, drafts: new Set(context.drafts), outputs: new Set(context.outputs) },
    titles,
    menu: siteMenu(context.pages, words.home, language, context.menu),
    latestPosts,
    breadcrumbs: (outputPath) => breadcrumbsFor(outputPath, titles, words.home),
    listing: (outputPath) => folderListing(outputPath, context.pages, language),
  };
}
