/** The size report: each page's HTML plus the CSS it links, gzipped, against the configured budget. */
import { gzipSync } from 'node:zlib';

export interface PageSize {
  outputPath: string;
  /** The page's HTML, gzipped. */
  htmlGzipBytes: number;
  /** HTML plus its stylesheets, gzipped: what a first visit downloads. */
  totalGzipBytes: number;
}

export interface SizeReport {
  budgetBytes: number;
  cssGzipBytes: number;
  /** Largest first. */
  pages: PageSize[];
  overBudget: PageSize[];
}

export function gzipSize(content: string | Buffer): number {
  return gzipSync(content).length;
}

export function sizeReport(pages: ReadonlyMap<string, number>, cssGzipBytes: number, budgetKb: number): SizeReport {
  const budgetBytes = Math.round(budgetKb * 1024);
  const sizes = [...pages]
    .map(([outputPath, htmlGzipBytes]) => ({ outputPath, htmlGzipBytes, totalGzipBytes: htmlGzipBytes + cssGzipBytes }))
    .sort((a, b) => b.totalGzipBytes - a.totalGzipBytes || (a.outputPath < b.outputPath ? -1 : 1));
  return { budgetBytes, cssGzipBytes, pages: sizes, overBudget: sizes.filter((page) => page.totalGzipBytes > budgetBytes) };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** A few lines for the terminal: the budget, the largest pages, and every page over budget. */
export function formatSizeReport(report: SizeReport, largest = 3): string[] {
  const lines = [`size (gzipped, HTML + CSS; CSS ${kb(report.cssGzipBytes)}), budget ${kb(report.budgetBytes)} a page:`];
  for (const page of report.pages.slice(0, largest)) lines.push(`  ${kb(page.totalGzipBytes).padStart(10)}  ${page.outputPath}`);
  if (report.overBudget.length === 0) lines.push(`  all ${report.pages.length} pages within budget`);
  else lines.push(`  ${report.overBudget.length} page(s) over budget`);
  return lines;
}
