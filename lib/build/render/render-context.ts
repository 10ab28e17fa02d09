/** Everything a page render needs besides the page itself; plain data so it can be sent to worker threads. */
import type { Liquid } from 'liquidjs';
import type { FrontMatter } from '../load/front-matter.js';
import type { SiteConfig } from '../load/site-config.js';
import type { ImageSizes } from './image-dimensions.js';
import { createLayoutEngine, type TemplateSet } from './layouts.js';
import type { ListingPosition, PageKind, PageSummary, SiteLink } from './site-map.js';
import { siteLookups, type SiteLookups } from './site-lookups.js';

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

/** The render context with its lookups built once, and the layout engine. */
export interface PreparedSite extends SiteLookups {
  engine: Liquid;
}

export function prepareSite(context: RenderContext): PreparedSite {
  // Half the page's time limit: liquidjs's own error names the layout before the worker is stopped.
  const engine = createLayoutEngine(context.templates, { renderLimitMs: (context.config.markdown.pageTimeLimitSeconds * 1000) / 2 });
  return { ...siteLookups(context), engine };
}
