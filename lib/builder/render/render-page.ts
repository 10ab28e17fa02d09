/** Renders one page: Markdown → HTML with heading ids and rewritten links → Liquid layout. */
import path from 'node:path';
import { isFleuronError } from '../../errors/fleuron-error.js';
import { renderAlerts } from './alerts.js';
import { highlightCode } from './highlight.js';
import { collectIds } from './html-text.js';
import { addHeadingIds, type Heading } from './headings.js';
import { addImageDimensions } from './image-dimensions.js';
import { renderLayout } from './layouts.js';
import { lineFinder, rewriteLinks, type LinkProblem, type PageLink } from './links.js';
import { sanitizePageHtml } from './html-sanitizer.js';
import { renderMarkdown } from './markdown.js';
import { assertMarkdownWithinLimits } from './markdown-limits.js';
import { descriptionFromContent } from './page-description.js';
import type { PageJob, PreparedSite } from './render-context.js';
import { addScrollRegions } from './scroll-regions.js';
import { listedOn } from './site-lookups.js';
import { defaultLayout, isCurrent, listingPageOutput, type SiteLink } from '../load/site-map.js';
import { markdownSource } from './markdown-source.js';
import { labelTaskCheckboxes } from './task-list.js';
import { encodeUrlPath, relativeUrl, styledUrl } from '../load/url-map.js';
import { formatDate } from '../load/words.js';

export interface RenderedPage {
  sourcePath: string;
  outputPath: string;
  /**
   * The page as written, UTF-8, in memory of its own outside the JavaScript heap (see pageBytes): held as strings
   * until the write, 4,000 pages grew Node's young generation to its largest and the old one by their size.
   */
  html: Buffer;
  /** The page body alone (for the feed), links already rewritten. */
  content: string;
  /** Every id of the final page, for checking `#fragment` links to it. */
  ids: string[];
  /** Size of the page gzipped, when known: the size report computes it only where it shows it (see size-report.ts). */
  gzipBytes?: number;
  /** Size of the page as written (served so when the site is not published gzipped). */
  bytes: number;
  links: PageLink[];
  problems: LinkProblem[];
}

/** Renders a page; an unexpected error (a bug here or in a library) names the page that met it, for the report. */
export function renderPage(job: PageJob, site: PreparedSite): RenderedPage {
  try {
    return renderPageOf(job, site, pageFileOf(job, site));
  } catch (error) {
    if (isFleuronError(error)) throw error;
    const cause = error instanceof Error ? error : new Error(String(error));
    const named = new Error(`${pageFileOf(job, site)}: ${cause.message}`, { cause });
    named.stack = `${named.message}\n${cause.stack ?? ''}`;
    throw named;
  }
}

const pageFileOf = (job: PageJob, site: PreparedSite) => `${site.context.sourceLabel}/${job.sourcePath || '(site root)'}`;

// long because: the layout's data is one literal naming every variable a theme may use; splitting it hides that list.
function renderPageOf(job: PageJob, site: PreparedSite, pageFile: string): RenderedPage {
  const { config } = site.context;
  // 404.html is served at any depth, so its links start from the site's base path instead of being relative.
  const basePath = job.kind === 'not-found' && config.baseUrl ? new URL(config.baseUrl).pathname : undefined;
  const urlTo = (output: string) => styledUrl(basePath === undefined ? relativeUrl(job.outputPath, output) : basePath + encodeUrlPath(output), config.urls);
  const link = (item: SiteLink) => ({ ...item, url: urlTo(item.outputPath), dateText: item.date ? formatDate(item.date, config.language) : undefined });
  // Relative URLs depend on the page's folder alone: its pages share the menu's and latest posts' links.
  const sharedLinks = linksFromFolder(site, basePath === undefined ? `folder:${path.posix.dirname(job.outputPath)}` : `base:${basePath}`, link);

  let content = '';
  let headings: Heading[] = [];
  let links: PageLink[] = [];
  let problems: LinkProblem[] = [];
  if (job.text !== '') {
    assertMarkdownWithinLimits(job.text, pageFile);
    const text = markdownSource(job.text);
    const markdown = renderMarkdown(text, {
      allowHtml: config.markdown.allowHtml,
      footnoteLabel: site.words.footnotes,
      footnoteBackLabel: site.words.footnoteBack,
      definitionLists: config.markdown.definitionLists,
    }, job.bodyLine);
    const safe = config.markdown.allowHtml ? sanitizePageHtml(markdown.html) : markdown.html;
    const withAlerts = config.markdown.alerts ? renderAlerts(safe, site.words.alerts) : safe;
    const highlighted = config.markdown.highlight ? highlightCode(withAlerts) : withAlerts;
    // For readers on old devices, slow lines and assistive technology: sized images, reachable scrolling boxes, named checkboxes.
    const sized = addImageDimensions(highlighted, job.sourcePath, site.targets, site.context.imageSizes);
    const accessible = labelTaskCheckboxes(addScrollRegions(sized, site.words), (done) => (done ? site.words.taskDone : site.words.taskOpen));
    const withIds = addHeadingIds(accessible);
    headings = withIds.headings;
    const rewritten = rewriteLinks(withIds.html, {
      sourcePath: job.sourcePath,
      outputPath: job.outputPath,
      targets: site.targets,
      urlTo,
      lineOf: lineFinder(markdown.destinations, text, job.bodyLine),
    });
    ({ html: content, links, problems } = rewritten);
  }

  const frontMatter = job.frontMatter;
  const isPost = job.kind === 'page' && frontMatter.date !== undefined;
  const tocHeadings = headings.filter((heading) => heading.level === 2 || heading.level === 3);
  const showToc = (frontMatter.toc ?? (config.markdown.toc && tocHeadings.length >= 3)) && tocHeadings.length > 0;
  const listing = job.listing;
  const pagination = listing && {
    number: listing.number,
    total: listing.total,
    previousUrl: listing.number > 1 ? urlTo(listingPageOutput(listing.index, listing.number - 1)) : undefined,
    nextUrl: listing.number < listing.total ? urlTo(listingPageOutput(listing.index, listing.number + 1)) : undefined,
    firstUrl: urlTo(listing.index),
  };
  const data = {
    site: {
      title: config.title,
      description: config.description,
      language: config.language,
      author: config.author,
      homeUrl: urlTo('index.html'),
      stylesheets: site.context.stylesheets.map(urlTo),
      // `data:,` is an empty icon: declaring one keeps browsers from asking for a /favicon.ico the site lacks.
      iconUrl: site.context.icon ? urlTo(site.context.icon) : 'data:,',
      feedUrl: site.context.feed ? urlTo(site.context.feed) : undefined,
      menu: sharedLinks.menu.map((item) => ({ ...item, current: isCurrent(item.outputPath, job.outputPath) })),
      latestPosts: sharedLinks.latestPosts,
    },
    page: {
      title: site.titles.get(job.outputPath) ?? frontMatter.title ?? '',
      description: frontMatter.description ?? descriptionFromContent(content),
      content,
      // A body that starts with its own `# Title` gets no second <h1> from the layout.
      bodyHasTitle: /^\s*<h1[\s>]/.test(content),
      kind: job.kind,
      isPost,
      date: frontMatter.date,
      dateText: frontMatter.date ? formatDate(frontMatter.date, config.language) : undefined,
      updated: frontMatter.updated,
      updatedText: frontMatter.updated ? formatDate(frontMatter.updated, config.language) : undefined,
      sourcePath: job.sourcePath,
      editUrl: job.kind === 'page' && config.editLink ? config.editLink.replace('{path}', encodeUrlPath(job.sourcePath)) : undefined,
      toc: showToc ? tocHeadings : [],
      breadcrumbs: site.breadcrumbs(job.outputPath).map(link),
      children: listedOn(job, site).map(link),
      pagination,
      extra: frontMatter.extra,
    },
    t: site.words,
  };
  const layout = frontMatter.layout ?? defaultLayout(job, isPost);
  const html = renderLayout(site.engine, site.context.templates, layout, data, pageFile);
  const bytes = pageBytes(html);
  return { sourcePath: job.sourcePath, outputPath: job.outputPath, html: bytes, content, ids: collectIds(html), bytes: bytes.length, links, problems };
}

type LinkedItem = SiteLink & { url: string; dateText: string | undefined };

/** Per prepared site, per folder (or base path, for 404.html): the menu's and latest posts' links with their URLs. */
const folderLinks = new WeakMap<PreparedSite, Map<string, { menu: LinkedItem[]; latestPosts: LinkedItem[] }>>();

/**
 * The menu's and latest posts' links as seen from `folderKey`, made once per folder: made for every page, their
 * relative URLs (path.posix.relative, percent-encoding) were ~4 % of the rich benchmark corpus's page rendering. Layouts only read them; each page's menu gets its own `current` flags.
 */
function linksFromFolder(site: PreparedSite, folderKey: string, link: (item: SiteLink) => LinkedItem): { menu: LinkedItem[]; latestPosts: LinkedItem[] } {
  let byFolder = folderLinks.get(site);
  if (!byFolder) folderLinks.set(site, (byFolder = new Map()));
  let links = byFolder.get(folderKey);
  if (!links) byFolder.set(folderKey, (links = { menu: site.menu.map(link), latestPosts: site.latestPosts.map(link) }));
  return links;
}

/**
 * The page's bytes in a buffer of its own, never a slice of Node's shared pool: a render worker hands the buffer over
 * (transfers it) instead of copying it, which a pooled slice would not allow.
 */
function pageBytes(html: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(html));
  bytes.write(html);
  return bytes;
}
