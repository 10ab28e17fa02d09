/**
 * The size report: what a reader downloads for each page on a first visit (its HTML plus the CSS it links), as the
 * bucket will serve it, against the configured budget. Garage serves objects as stored: gzipped only when the site is
 * published with gzip on (`publish: gzip: true` or `--gzip`), else uncompressed, unless a proxy in front compresses.
 */
import { gzipSync } from 'node:zlib';

/** A page's HTML, or a stylesheet: its bytes, and the same gzipped (or how to gzip it, when a page's is asked for). */
export interface BodySize {
  bytes: number;
  gzipBytes: number | (() => number);
}

export interface PageSize {
  outputPath: string;
  /** The page's HTML, gzipped. */
  htmlGzipBytes: number;
  /** The page's HTML as written. */
  htmlBytes: number;
  /** HTML plus its stylesheets, gzipped. */
  totalGzipBytes: number;
  /** HTML plus its stylesheets, uncompressed. */
  totalBytes: number;
  /** What a first visit downloads as served: `totalGzipBytes` when the site is published gzipped, else `totalBytes`. */
  servedBytes: number;
}

export interface SizeReport {
  budgetBytes: number;
  /** Whether the site is served gzipped (published with gzip on). */
  gzip: boolean;
  cssGzipBytes: number;
  cssBytes: number;
  /** Largest first, as served. */
  pages: PageSize[];
  /** Pages whose served size is over the budget. */
  overBudget: PageSize[];
}

export function gzipSize(content: string | Buffer): number {
  return gzipSync(content).length;
}

export function sizeReport(pages: ReadonlyMap<string, BodySize>, css: { bytes: number; gzipBytes: number }, budgetKb: number, gzip: boolean): SizeReport {
  const budgetBytes = Math.round(budgetKb * 1024);
  const sizes = [...pages]
    .map(([outputPath, html]) => pageSize(outputPath, html, css, gzip))
    .sort((a, b) => b.servedBytes - a.servedBytes || (a.outputPath < b.outputPath ? -1 : 1));
  return { budgetBytes, gzip, cssGzipBytes: css.gzipBytes, cssBytes: css.bytes, pages: sizes, overBudget: sizes.filter((page) => page.servedBytes > budgetBytes) };
}

/**
 * A page's sizes. Served uncompressed, its gzipped size is computed when read: the report shows it for a few pages
 * only (the largest, those over budget), and gzipping every page of a 4,000-page site took 0.3–0.45 s of its build.
 */
function pageSize(outputPath: string, html: BodySize, css: { bytes: number; gzipBytes: number }, gzip: boolean): PageSize {
  const totalBytes = html.bytes + css.bytes;
  const { gzipBytes } = html;
  if (gzip || typeof gzipBytes === 'number') {
    const htmlGzipBytes = typeof gzipBytes === 'number' ? gzipBytes : gzipBytes();
    const totalGzipBytes = htmlGzipBytes + css.gzipBytes;
    return { outputPath, htmlGzipBytes, htmlBytes: html.bytes, totalGzipBytes, totalBytes, servedBytes: gzip ? totalGzipBytes : totalBytes };
  }
  let known: number | undefined;
  const htmlGzip = () => (known ??= gzipBytes());
  return {
    outputPath,
    get htmlGzipBytes() {
      return htmlGzip();
    },
    htmlBytes: html.bytes,
    get totalGzipBytes() {
      return htmlGzip() + css.gzipBytes;
    },
    totalBytes,
    servedBytes: totalBytes,
  };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** How a page's served size is described in a warning: `12.3 KiB uncompressed with its CSS`. */
export function servedSizeText(report: SizeReport, page: PageSize): string {
  return `${kb(page.servedBytes)} ${report.gzip ? 'gzipped' : 'uncompressed'} with its CSS`;
}

/** A few lines for the terminal: how pages are served, the budget, the largest pages, and every page over budget. */
export function formatSizeReport(report: SizeReport, largest = 3): string[] {
  const lines = report.gzip
    ? [`size as served (gzipped: publish.gzip is on; HTML + CSS, CSS ${kb(report.cssGzipBytes)}), budget ${kb(report.budgetBytes)} a page:`]
    : [`size as served (uncompressed: publish.gzip is off; HTML + CSS, CSS ${kb(report.cssBytes)}), budget ${kb(report.budgetBytes)} a page:`];
  for (const page of report.pages.slice(0, largest)) {
    lines.push(`  ${kb(page.servedBytes).padStart(10)}  ${page.outputPath}${report.gzip ? '' : ` (${kb(page.totalGzipBytes)} gzipped)`}`);
  }
  if (report.overBudget.length === 0) lines.push(`  all ${report.pages.length} pages within budget`);
  else if (report.gzip) lines.push(`  ${report.overBudget.length} page(s) over budget`);
  else {
    const fitGzipped = report.overBudget.filter((page) => page.totalGzipBytes <= report.budgetBytes).length;
    lines.push(`  ${report.overBudget.length} page(s) over budget${fitGzipped > 0 ? `; ${fitGzipped} would fit served gzipped (publish: gzip: true)` : ''}`);
  }
  return lines;
}

/** The one warning of a build about its pages over budget (largest first, a few named), or undefined when none is. */
export function overBudgetWarning(report: SizeReport, budgetKb: number, named = 5): string | undefined {
  const over = report.overBudget;
  if (over.length === 0) return undefined;
  const list = over.slice(0, named).map((page) => `${page.outputPath} ${kb(page.servedBytes)}`).join(', ');
  const more = over.length > named ? ` (and ${over.length - named} more)` : '';
  const served = report.gzip ? 'as served, gzipped' : 'as served, uncompressed';
  return `${over.length} ${over.length === 1 ? 'page is' : 'pages are'} over the ${budgetKb} KiB budget (${served}, with their CSS): ${list}${more}`;
}
