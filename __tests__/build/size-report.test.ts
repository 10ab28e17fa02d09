import { formatSizeReport, sizeReport } from '../../lib/build/write/size-report.js';

describe('sizeReport', () => {
  const pages = new Map([
    ['a.html', 1000],
    ['b.html', 13000],
    ['c.html', 3000],
  ]);

  it('adds the CSS to each page, sorts largest first and lists pages over budget', () => {
    const report = sizeReport(pages, 1500, 14);
    expect(report.budgetBytes).toBe(14336);
    expect(report.pages.map((page) => [page.outputPath, page.totalGzipBytes])).toEqual([
      ['b.html', 14500],
      ['c.html', 4500],
      ['a.html', 2500],
    ]);
    expect(report.overBudget.map((page) => page.outputPath)).toEqual(['b.html']);
  });

  it('prints the budget, the largest pages and the verdict', () => {
    expect(formatSizeReport(sizeReport(pages, 1500, 14), 2)).toEqual([
      'size (gzipped, HTML + CSS; CSS 1.5 KiB), budget 14.0 KiB a page:',
      '    14.2 KiB  b.html',
      '     4.4 KiB  c.html',
      '  1 page(s) over budget',
    ]);
    expect(formatSizeReport(sizeReport(pages, 0, 100)).at(-1)).toBe('  all 3 pages within budget');
  });
});
