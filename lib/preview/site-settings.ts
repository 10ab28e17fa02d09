/**
 * What the preview needs from the site's configuration to answer as the published site would: the
 * header rules and gzip flag (`publish:` in fleuron.yaml), the ignore list, the index and error
 * documents, and every redirect (fleuron.yaml `redirects:`, pages' aliases, deuxfleurs.toml).
 */
import { compileHeaderPolicy, type CompiledHeaderPolicy } from '../headers/header-rules.js';
import { makePathFilter } from '../ignore/ignore-list.js';
import { readSiteFiles, resolveSiteSettings, siteRedirects } from '../site-settings/site-settings.js';
import type { SiteRedirect } from '../website/redirects.js';
import type { WebsiteRules } from './website-routing.js';

export interface PreviewSettings {
  rules: WebsiteRules;
  policy: CompiledHeaderPolicy;
  /** Whether a path of the built folder would be published (dotfiles and the like are not). */
  isPublished: (relative: string) => boolean;
  /** Whether text files are stored gzip-compressed. */
  gzip: boolean;
}

export interface PreviewSettingsInput {
  /** The site sources (fleuron.yaml, deuxfleurs.toml). */
  sourceDir: string;
  /** The built folder (its `.fleuron/aliases.json`). */
  builtDir: string;
  /** `--gzip` given on the command line (overrides fleuron.yaml). */
  gzip?: boolean;
}

/**
 * Reads the settings afresh (they may change while previewing), by the same rules as `fleuron publish`. The
 * environment is left out: the preview needs no bucket and no keys, and none of the settings it uses (headers,
 * gzip, include/exclude, index and error documents, redirects) has an environment variable.
 */
export async function readPreviewSettings(input: PreviewSettingsInput): Promise<PreviewSettings> {
  const files = await readSiteFiles(input.sourceDir);
  const settings = resolveSiteSettings({ files, flags: input.gzip === undefined ? {} : { gzip: input.gzip }, env: {}, dotEnv: {} });
  const { indexDocument, errorDocument } = settings.website;
  return {
    rules: { indexDocument, errorDocument, redirects: redirectsByKey(siteRedirects(files, input.builtDir), indexDocument) },
    policy: compileHeaderPolicy({ rules: settings.headers, gzip: settings.gzip }),
    isPublished: makePathFilter(settings.exclude, settings.include),
    gzip: settings.gzip,
  };
}

/** Redirects by the key they answer for; a `from` naming a folder (`old/`) means its index document, as for aliases. */
export function redirectsByKey(redirects: readonly SiteRedirect[], indexDocument: string): Map<string, SiteRedirect> {
  return new Map(redirects.map((redirect) => [redirect.from.endsWith('/') ? `${redirect.from}${indexDocument}` : redirect.from, redirect]));
}
