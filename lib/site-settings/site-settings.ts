/**
 * The one reader of a site's settings, for build, preview and publish alike: which project files count, and
 * in which order their values win (see resolvePublishSettings and the README's table).
 */
import path from 'node:path';
import { PROJECT_FILE_NAMES, projectFileDir, readProjectFile, type ProjectFile } from '../config/project-file.js';
import { resolvePublishSettings, type PublishFlags, type PublishSettings } from '../config/publish-settings.js';
import { mergeRedirects, parseRedirectList, readBuiltAliases, readDeuxfleursToml, type DeuxfleursConfig, type SiteRedirect } from '../website/redirects.js';

/** The project files a site uses. */
export interface SiteFiles {
  /** fleuron.yaml: in the site folder, else in the working directory. */
  project?: ProjectFile;
  /** deuxfleurs.toml: in the site folder, else in the working directory (where dxfl reads it). */
  deuxfleurs?: DeuxfleursConfig;
}

/** Reads the project files of the site in `siteDir` (a source folder, or a built one). */
export async function readSiteFiles(siteDir: string, cwd = process.cwd()): Promise<SiteFiles> {
  const dir = path.resolve(siteDir);
  const project = await readProjectFile(projectFileDir(dir, cwd));
  const deuxfleurs = readDeuxfleursToml(dir) ?? readDeuxfleursToml(cwd);
  return { ...(project ? { project } : {}), ...(deuxfleurs ? { deuxfleurs } : {}) };
}

export interface SiteSettingsInput {
  files: SiteFiles;
  flags: PublishFlags;
  env: NodeJS.ProcessEnv;
  /** `.env` of the working directory. */
  dotEnv: Record<string, string>;
}

/** Every setting of the site, each from the highest source that has it. */
export function resolveSiteSettings(input: SiteSettingsInput): PublishSettings {
  const { project, deuxfleurs } = input.files;
  return resolvePublishSettings({
    flags: input.flags,
    env: input.env,
    dotEnv: input.dotEnv,
    file: project ? { path: project.path, section: project.data.publish } : undefined,
    deuxfleurs: { indexPage: deuxfleurs?.indexPage, errorPage: deuxfleurs?.errorPage },
  });
}

/**
 * Every redirect of the site, later sources winning for the same `from`: the aliases the builder wrote into
 * `builtDir`, deuxfleurs.toml's `[[redirects]]`, fleuron.yaml's `redirects:`.
 */
export function siteRedirects(files: SiteFiles, builtDir: string): SiteRedirect[] {
  const configured = parseRedirectList(files.project?.data.redirects, `${files.project?.path ?? PROJECT_FILE_NAMES[0]}: redirects`);
  return mergeRedirects(readBuiltAliases(builtDir), files.deuxfleurs?.redirects ?? [], configured);
}
