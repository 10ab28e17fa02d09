/** The front matter keys fleuron reads, and other generators' names for them (no parser here: cheap to import). */

export const FRONT_MATTER_KEYS = ['title', 'description', 'date', 'updated', 'draft', 'layout', 'aliases', 'toc', 'weight', 'slug'] as const;
export type FrontMatterKey = (typeof FRONT_MATTER_KEYS)[number];

/** Other generators' names for fleuron's keys. A page giving both uses fleuron's. */
export const KEY_SYNONYMS: Readonly<Record<string, FrontMatterKey>> = {
  summary: 'description', // Hugo
  lastmod: 'updated', // Hugo
  last_modified_at: 'updated', // Jekyll
  publishDate: 'date', // Hugo
  alias: 'aliases', // Hugo, in the singular
  redirect_from: 'aliases', // jekyll-redirect-from
  template: 'layout', // Zola
  nav_order: 'weight', // Jekyll's just-the-docs
  sidebar_position: 'weight', // Docusaurus
};

/**
 * Keys understood as data for layouts (in `extra`, no warning): taxonomies, authors, and the generators' own
 * "anything else" maps, whose contents are merged into `extra` (Zola `extra`, Hugo `params`).
 */
export const DATA_KEYS = ['tags', 'categories', 'keywords', 'series', 'taxonomies', 'author', 'authors', 'extra', 'params', 'eleventyNavigation'] as const;
export const MERGED_KEYS = new Set(['extra', 'params']);

/**
 * Keys that say a page is not published on its own (a snippet other pages include): Hugo's `headless: true` and
 * `_build` / `build` `{ render: never }`, Zola's `render = false`.
 */
export const HEADLESS_KEYS = ['headless', '_build', 'build', 'render'] as const;

/** Every key a page may use without a warning, for "closest known key" hints. */
export const KNOWN_FRONT_MATTER_KEYS: readonly string[] = [...FRONT_MATTER_KEYS, ...Object.keys(KEY_SYNONYMS), ...DATA_KEYS, ...HEADLESS_KEYS];

