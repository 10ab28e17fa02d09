/** The site builder's public interface: `buildSite` and the site config keys. */
export { buildSite, formatSizeReport, openBuildCache, overBudgetWarning, type BuildOptions, type BuildResult, type Redirect } from './build-site.js';
export { SITE_CONFIG_KEYS, parseSiteConfig, type SiteConfig } from './load/site-config.js';
export { RebuildState } from './rebuild-state.js';
export { ALIASES_FILE } from './write/write-output.js';
export type { RenderWorkerSession } from './render/render-pool.js';
import type { RenderWorkerSession } from './render/render-pool.js';

/** A render worker to keep between builds (the preview's); Markdown and Liquid load only here, when it is made. */
export async function createRenderWorker(): Promise<RenderWorkerSession> {
  const { RenderWorkerSession } = await import('./render/render-pool.js');
  return new RenderWorkerSession();
}
