/** Reads the publish settings the way every bucket command needs them (flags, environment, .env, fleuron.yaml). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readProjectFile } from '../config/project-file.js';
import { hasProfileCredentials, readDotEnv, resolvePublishSettings, type PublishFlags, type PublishSettings } from '../config/publish-settings.js';
import { usageError } from '../errors/fleuron-error.js';
import { registerSecret } from './redact.js';

/** Settings for the site in `dir` (its fleuron.yaml, else the one in the working directory). Secrets are registered for redaction. */
export async function readPublishSettings(dir: string, flags: PublishFlags): Promise<PublishSettings> {
  const hasOwnFile = existsSync(path.join(dir, 'fleuron.yaml')) || existsSync(path.join(dir, 'fleuron.yml'));
  const project = await readProjectFile(hasOwnFile ? dir : process.cwd());
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
