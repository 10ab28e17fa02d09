/** Reads the publish settings the way every bucket command needs them (flags, environment, .env, fleuron.yaml). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readProjectFile } from '../config/project-file.js';
import { hasProfileCredentials, readDotEnv, resolvePublishSettings, type PublishFlags, type PublishSettings } from '../config/publish-settings.js';
import { usageError } from '../errors/fleuron-error.js';
import { mergeRedirects, parseRedirectList, readBuiltAliases, readDeuxfleursToml, type SiteRedirect } from '../website/redirects.js';
import { registerSecret } from './redact.js';

function projectDir(dir: string): string {
  return existsSync(path.join(dir, 'fleuron.yaml')) || existsSync(path.join(dir, 'fleuron.yml')) ? dir : process.cwd();
}

/**
 * Every redirect of the site: `redirects:` in fleuron.yaml, Deuxfleurs' deuxfleurs.toml (in the site
 * folder or the working directory), and the aliases the builder wrote into the built folder.
 * Also the index and error documents deuxfleurs.toml names, if any.
 */
export async function readSiteRedirects(dir: string, builtDir: string): Promise<{ redirects: SiteRedirect[]; indexPage?: string; errorPage?: string }> {
  const project = await readProjectFile(projectDir(dir));
  const configured = parseRedirectList(project?.data.redirects, `${project?.path ?? 'fleuron.yaml'}: redirects`);
  const deuxfleurs = readDeuxfleursToml(dir) ?? readDeuxfleursToml(process.cwd());
  return {
    redirects: mergeRedirects(readBuiltAliases(builtDir), deuxfleurs?.redirects ?? [], configured),
    indexPage: deuxfleurs?.indexPage,
    errorPage: deuxfleurs?.errorPage,
  };
}

/** Settings for the site in `dir` (its fleuron.yaml, else the one in the working directory). Secrets are registered for redaction. */
export async function readPublishSettings(dir: string, flags: PublishFlags): Promise<PublishSettings> {
  const project = await readProjectFile(projectDir(dir));
  const settings = resolvePublishSettings({
    flags,
    env: process.env,
    dotEnv: readDotEnv(process.cwd()),
    file: project ? { path: project.path, section: project.data.publish } : undefined,
  });
  registerSecret(settings.credentials?.secretAccessKey);
  registerSecret(settings.credentials?.sessionToken);
  return settings;
}

/** The checks before any request: a bucket, credentials, an archive that is not the site itself. */
export function checkTarget(settings: PublishSettings): string {
  const bucket = settings.bucket;
  if (!bucket) throw usageError('missing-bucket', 'no bucket to publish to', 'give --bucket NAME, set FLEURON_BUCKET in .env, or try --local for a local preview');
  if (!settings.credentials && !hasProfileCredentials(process.env)) {
    throw usageError('missing-credentials', 'no S3 credentials found', 'put AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (from your bucket admin) in .env; see .env.example');
  }
  if (settings.archive?.bucket === bucket) {
    throw usageError('archive-is-site', `the archive bucket must not be the website bucket "${bucket}"`, 'name a second bucket, not served as a website: a deleted page must not stay reachable');
  }
  return bucket;
}
