/** A render context made ready for rendering pages: its lookups (titles, menu, links) built once per thread. */
import type { Liquid } from 'liquidjs';
import type { PageJob, RenderContext } from '../load/load-site.js';
import { createLayoutEngine } from './layouts.js';
import { siteLookups, type SiteLookups } from './site-lookups.js';

export type { PageJob, RenderContext };

/** The render context with its lookups built once, and the layout engine. */
export interface PreparedSite extends SiteLookups {
  engine: Liquid;
}

export function prepareSite(context: RenderContext): PreparedSite {
  // Half the page's time limit: liquidjs's own error names the layout before the worker is stopped.
  const engine = createLayoutEngine(context.templates, { renderLimitMs: (context.config.markdown.pageTimeLimitSeconds * 1000) / 2 });
  return { ...siteLookups(context), engine };
}
