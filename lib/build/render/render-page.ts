/** Renders one page: Markdown → HTML with heading ids and rewritten links → Liquid layout. */
import { gzipSync } from 'node:zlib';
import { collectIds } from './html-text.js';
import { addHeadingIds, type Heading } from './headings.js';
import { renderLayout } from './layouts.js';
import { lineFinder, rewriteLinks, type LinkProblem, type PageLink } from './links.js';
import { renderMarkdown } from './markdown.js';
import type { PageJob, PreparedSite } from './render-context.js';
import { isCurrent, isIndexSource, type SiteLink } from '../load/site-map.js';
import { encodeUrlPath, relativeUrl } from '../load/url-map.js';
import { formatDate } from '../load/words.js';

export interface RenderedPage {
  sourcePath: string;
  outputPath: string;
  html: string;
  /** The page body alone (for the feed), links already rewritten. */
  content: string;
  /** Every id of the final page, for checking `#fragment` links to it. */
  ids: string[];
  /** Size of the page gzipped, for the size report (computed here, in the worker that has the HTML). */
  gzipBytes: number;
  links: PageLink[];
  problems: LinkProblem[];
}

/** The layout a page gets when its front matter names none. */
export function defaultLayout(job: Pick<PageJob, 'kind' | 'sourcePath'>, isPost: boolean): string {
  if (job.kind === 'not-found') return '404';
  if (job.kind === 'folder-index') return 'list';
  if (job.sourcePath === 'index.md' || job.sourcePath === 'index.markdown') return 'home';
  if (isIndexSource(job.sourcePath)) return 'list';
  return isPost ? 'post' : 'page';
}

// long because: the layout's data is one literal naming every variable a theme may use; splitting it hides that list.
export function renderPage(job: PageJob, site: PreparedSite): RenderedPage {
  const { config, sourceLabel } = site.context;
  const pageFile = `${sourceLabel}/${job.sourcePath || '(site root)'}`;
  // 404.html is served at any depth, so its links start from the site's base path instead of being relative.
  const basePath = job.kind === 'not-found' && config.baseUrl ? new URL(config.baseUrl).pathname : undefined;
  const urlTo = (output: string) => (basePath === undefined ? relativeUrl(job.outputPath, output) : basePath + encodeUrlPath(output));
  const link = (item: SiteLink) => ({ ...item, url: urlTo(item.outputPath), dateText: item.date ? formatDate(item.date, config.language) : undefined });

  let content = '';
  let headings: Heading[] = [];
  let links: PageLink[] = [];
  let problems: LinkProblem[] = [];
  if (job.text !== '') {
    const markdown = renderMarkdown(job.text, {
      allowHtml: config.markdown.allowHtml,
      footnoteLabel: site.words.footnotes,
      footnoteBackLabel: site.words.footnoteBack,
    });
    const withIds = addHeadingIds(markdown.html);
    headings = withIds.headings;
    const rewritten = rewriteLinks(withIds.html, {
      sourcePath: job.sourcePath,
      outputPath: job.outputPath,
      targets: site.targets,
      urlTo,
      lineOf: lineFinder(markdown.destinations, job.text, job.bodyLine),
    });
    ({ html: content, links, problems } = rewritten);
  }

  const frontMatter = job.frontMatter;
  const isPost = job.kind === 'page' && frontMatter.date !== undefined;
  const tocHeadings = headings.filter((heading) => heading.level === 2 || heading.level === 3);
  const showToc = (frontMatter.toc ?? (config.markdown.toc && tocHeadings.length >= 3)) && tocHeadings.length > 0;
  const isIndex = job.kind === 'folder-index' || isIndexSource(job.sourcePath);
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
      menu: site.menu.map((item) => ({ ...link(item), current: isCurrent(item.outputPath, job.outputPath) })),
      latestPosts: site.latestPosts.map(link),
    },
    page: {
      title: site.titles.get(job.outputPath) ?? frontMatter.title ?? '',
      description: frontMatter.description,
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
      children: isIndex ? site.listing(job.outputPath).map(link) : [],
      extra: frontMatter.extra,
    },
    t: site.words,
  };
  const layout = frontMatter.layout ?? defaultLayout(job, isPost);
  const html = renderLayout(site.engine, site.context.templates, layout, data, pageFile);
  return { sourcePath: job.sourcePath, outputPath: job.outputPath, html, content, ids: collectIds(html), gzipBytes: gzipSync(html).length, links, problems };
}
