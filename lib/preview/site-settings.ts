/**
 * What the preview needs from the site's configuration to answer as the published site would: the
 * header rules and gzip flag (`publish:` in fleuron.yaml), the ignore list, the index and error
 * documents, and every redirect (fleuron.yaml `redirects:`, pages' aliases, deuxfleurs.toml).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isPlainObject } from '../config/check-keys.js';
import { readProjectFile } from '../config/project-file.js';
import { resolvePublishSettings } from '../config/publish-settings.js';
import { compileHeaderPolicy, type CompiledHeaderPolicy } from '../headers/header-rules.js';
import { makePathFilter } from '../ignore/ignore-list.js';
import { mergeRedirects, parseRedirectList, readBuiltAliases, readDeuxfleursToml, type SiteRedirect } from '../website/redirects.js';
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
 * Reads the settings afresh (they may change while previewing). Only the file is read, never the
 * environment: the preview needs no bucket and no keys, and the header settings live in the file.
 */
export async function readPreviewSettings(input: PreviewSettingsInput): Promise<PreviewSettings> {
  const sourceDir = path.resolve(input.sourceDir);
  // As `fleuron publish` does: the site's own fleuron.yaml, else the one in the working directory.
  const hasOwnFile = existsSync(path.join(sourceDir, 'fleuron.yaml')) || existsSync(path.join(sourceDir, 'fleuron.yml'));
  const project = await readProjectFile(hasOwnFile ? sourceDir : process.cwd());
  const section = project?.data.publish;
  const settings = resolvePublishSettings({
    flags: input.gzip === undefined ? {} : { gzip: input.gzip },
    env: {},
    dotEnv: {},
    file: project ? { path: project.path, section } : undefined,
  });

  const deuxfleurs = readDeuxfleursToml(sourceDir);
  const configured = project ? parseRedirectList(project.data.redirects, `${project.path}: redirects`) : [];
  const redirects = mergeRedirects(readBuiltAliases(input.builtDir), deuxfleurs?.redirects ?? [], configured);

  const website = isPlainObject(section) && isPlainObject(section.website) ? section.website : {};
  const indexDocument = typeof website.indexDocument === 'string' ? settings.website.indexDocument : (deuxfleurs?.indexPage ?? settings.website.indexDocument);
  const errorDocument = typeof website.errorDocument === 'string' ? settings.website.errorDocument : (deuxfleurs?.errorPage ?? settings.website.errorDocument);

  return {
    rules: { indexDocument, errorDocument: errorDocument.replace(/^\/+/, ''), redirects: redirectsByKey(redirects, indexDocument) },
    policy: compileHeaderPolicy({ rules: settings.headers, gzip: settings.gzip }),
    isPublished: makePathFilter(settings.exclude, settings.include),
    gzip: settings.gzip,
  };
}

/** Redirects by the key they answer for; a `from` naming a folder (`old/`) means its index document, as for aliases. */
export function redirectsByKey(redirects: readonly SiteRedirect[], indexDocument: string): Map<string, SiteRedirect> {
  return new Map(redirects.map((redirect) => [redirect.from.endsWith('/') ? `${redirect.from}${indexDocument}` : redirect.from, redirect]));
}
