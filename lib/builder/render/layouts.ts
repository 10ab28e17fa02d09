/** Liquid layouts: the theme's templates overlaid file by file with the site's `_layouts/`, rendered with HTML escaping on. */
import { createRequire } from 'node:module';
import type { Liquid as LiquidEngine, Template } from 'liquidjs';
import { FleuronError } from '../../errors/fleuron-error.js';
import type { TemplateSet } from '../load/templates.js';

// liquidjs is a CommonJS bundle: imported from ESM, Node first scans all of it for its export names, which costs
// about three times as much as loading it (some 70 ms of a one-page rebuild on the 2-core bench machine).
const { Liquid } = createRequire(import.meta.url)('liquidjs') as typeof import('liquidjs');

export type { TemplateSet };

/**
 * Bounds on one page's layout work, so that a runaway loop in a layout override fails with its file named instead
 * of running Node out of memory (a loop over `(1..100000000)` took 14 s and 2.6 GB). liquidjs counts ranges, joins
 * and the like against `memoryLimit`, the characters of templates against `parseLimit`, and stops a render after
 * `renderLimitMs`.
 */
export interface LayoutLimits {
  renderLimitMs: number;
}

/** Ten million: a range of that many numbers is 80 MB; a real layout loops over a site's pages, thousands. */
const MEMORY_LIMIT = 10_000_000;
/** Characters of template source in one parse: layouts are a few KB. */
const PARSE_LIMIT = 10_000_000;

export function createLayoutEngine(templates: TemplateSet, limits: LayoutLimits): LiquidEngine {
  return new Liquid({
    templates: templates.sources,
    extname: '.liquid',
    cache: true,
    outputEscape: 'escape',
    strictFilters: true,
    ownPropertyOnly: true,
    memoryLimit: MEMORY_LIMIT,
    parseLimit: PARSE_LIMIT,
    renderLimit: limits.renderLimitMs,
  });
}

export function hasLayout(templates: TemplateSet, layout: string): boolean {
  return Object.hasOwn(templates.sources, `${layout}.liquid`);
}

/** Layouts parsed once per engine (liquidjs's own file cache still costs a lookup per render). */
const parsedLayouts = new WeakMap<LiquidEngine, Map<string, Template[]>>();

/** Renders `layout` for the page `pageFile`; a missing layout or a template error names the file to fix. */
export function renderLayout(engine: LiquidEngine, templates: TemplateSet, layout: string, data: object, pageFile: string): string {
  if (!hasLayout(templates, layout)) {
    const known = Object.keys(templates.sources).map((name) => name.replace(/\.liquid$/, '')).sort();
    throw new FleuronError('layout-missing', `${pageFile}: layout "${layout}" does not exist`, {
      hint: `use one of ${known.join(', ')}, or add _layouts/${layout}.liquid to the site folder`,
    });
  }
  try {
    let parsed = parsedLayouts.get(engine)?.get(layout);
    if (!parsed) {
      parsed = engine.parseFileSync(layout);
      if (!parsedLayouts.has(engine)) parsedLayouts.set(engine, new Map());
      parsedLayouts.get(engine)!.set(layout, parsed);
    }
    return engine.renderSync(parsed, data) as string;
  } catch (error) {
    const liquidError = error as Error & { token?: { file?: string } };
    const templateName = liquidError.token?.file ?? `${layout}.liquid`;
    const templateFile = templates.files[templateName] ?? templateName;
    const message = liquidError.message.replace(/, file:[^,]+/, '');
    const limit = /(parse length|template render|memory alloc) limit exceeded/.exec(message);
    if (limit) {
      throw new FleuronError('template-error', `${templateFile}: the layout does too much work (${limit[0]}) while rendering ${pageFile}`, {
        hint: 'use smaller loops (ranges of thousands, not millions), or fewer nested ones',
        cause: error,
      });
    }
    throw new FleuronError('template-error', `${templateFile}: ${message} (while rendering ${pageFile})`, {
      hint: 'fix the Liquid template',
      cause: error,
    });
  }
}
