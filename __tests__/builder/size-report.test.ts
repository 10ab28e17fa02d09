import { formatSizeReport, sizeReport } from '../../lib/builder/write/size-report.js';

describe('sizeReport', () => {
  // A documentation page compresses about 3:1; CSS a little better.
  const pages = new Map([
    ['a.html', { bytes: 3000, gzipBytes: 1000 }],
    ['b.html', { bytes: 30000, gzipBytes: 11000 }],
    ['c.html', { bytes: 9000, gzipBytes: 3000 }],
  ]);
  const css = { bytes: 4800, gzipBytes: 2000 };

  it('served gzipped: adds the gzipped CSS to each page, sorts largest first and lists pages over budget', () => {
    const report = sizeReport(pages, css, 14, true);
    expect(report.budgetBytes).toBe(14336);
    expect(report.pages.map((page) => [page.outputPath, page.servedBytes])).toEqual([
      ['b.html', 13000],
      ['c.html', 5000],
      ['a.html', 3000],
    ]);
    expect(report.overBudget).toEqual([]);
  });

  it('served as stored: checks the budget on the uncompressed bytes readers download', () => {
    const report = sizeReport(pages, css, 14, false);
    expect(report.pages.map((page) => [page.outputPath, page.servedBytes, page.totalGzipBytes])).toEqual([
      ['b.html', 34800, 13000],
      ['c.html', 13800, 5000],
      ['a.html', 7800, 3000],
    ]);
    expect(report.overBudget.map((page) => page.outputPath)).toEqual(['b.html']);
  });

  it('prints how pages are served, the budget, the largest pages and the verdict', () => {
    expect(formatSizeReport(sizeReport(pages, css, 12, true), 2)).toEqual([
      'size as served (gzipped: publish.gzip is on; HTML + CSS, CSS 2.0 KiB), budget 12.0 KiB a page:',
      '    12.7 KiB  b.html',
      '     4.9 KiB  c.html',
      '  1 page(s) over budget',
    ]);
    expect(formatSizeReport(sizeReport(pages, css, 14, false), 2)).toEqual([
      'size as served (uncompressed: publish.gzip is off; HTML + CSS, CSS 4.7 KiB), budget 14.0 KiB a page:',
      '    34.0 KiB  b.html (12.7 KiB gzipped)',
      '    13.5 KiB  c.html (4.9 KiB gzipped)',
      '  1 page(s) over budget; 1 would fit served gzipped (publish: gzip: true)',
    ]);
    expect(formatSizeReport(sizeReport(pages, css, 100, false)).at(-1)).toBe('  all 3 pages within budget');
  });
});
