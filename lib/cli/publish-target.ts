/** Reads the publish settings the way every bucket command needs them (flags, environment, .env, fleuron.yaml). */
import { hasProfileCredentials, readDotEnv, type PublishFlags, type PublishSettings } from '../config/publish-settings.js';
import { usageError } from '../errors/fleuron-error.js';
import { readSiteFiles, resolveSiteSettings, type SiteFiles } from '../site-settings/site-settings.js';
import { registerSecret } from './redact.js';
import type { PublishArgs } from './commands/publish.js';

/**
 * Settings for the site in `dir` (see lib/site-settings for which files count), and the files they came from
 * (their redirects are read once the site is built). Secrets are registered for redaction.
 */
export async function readPublishSettings(dir: string, flags: PublishFlags): Promise<{ settings: PublishSettings; files: SiteFiles }> {
  const files = await readSiteFiles(dir);
  const settings = resolveSiteSettings({ files, flags, env: process.env, dotEnv: readDotEnv(process.cwd()) });
  registerSecret(settings.credentials?.secretAccessKey);
  registerSecret(settings.credentials?.sessionToken);
  return { settings, files };
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

/** The publish flags of the command line, as the settings resolver takes them. */
export function pickFlags(args: PublishArgs): PublishFlags {
  return {
    endpoint: args.endpoint,
    region: args.region,
    bucket: args.bucket,
    prefix: args.prefix,
    pathStyle: args.pathStyle,
    concurrency: args.concurrency,
    maxDeletes: args.maxDeletes,
    gzip: args.gzip,
    bandwidth: args.bandwidth,
  };
}
