/** The site builder's public interface: `buildSite` and the site config keys. */
export { buildSite, formatSizeReport, openBuildCache, overBudgetWarning, type BuildOptions, type BuildResult, type Redirect } from './build-site.js';
export { SITE_CONFIG_KEYS, parseSiteConfig, type SiteConfig } from './load/site-config.js';
export { ALIASES_FILE } from './write/write-output.js';
