/** What the publish page knows of its target without loading the S3 SDK: where settings come from, and their checks. */
import { hasProfileCredentials, type PublishSettings } from '../../config/publish-settings.js';
import { FleuronError, isFleuronError } from '../../errors/fleuron-error.js';
import type { SiteRedirect } from '../../website/redirects.js';

/**
 * What the CLI hands the preview (the CLI owns settings resolution: flags, environment, `.env`,
 * fleuron.yaml). Each call reads afresh: the settings form changes `.env` while the preview runs.
 */
export interface PublishTargetSource {
  /** The folder whose `.env` `fleuron publish` reads (the working directory): the form writes there. */
  projectDir: string;
  readSettings(): Promise<PublishSettings>;
  /** The checks `fleuron publish` makes before any request (bucket, keys, archive ≠ site); returns the bucket. */
  checkTarget(settings: PublishSettings): string;
  /** Redirects and documents the site declares, given the built folder. */
  readRedirects(builtDir: string): Promise<{ redirects: SiteRedirect[]; indexPage?: string; errorPage?: string }>;
}

export type KeySource = 'environment' | '.env' | 'AWS profile' | undefined;

/** Where `fleuron publish` will take the keys from, in its order: the environment, then `.env`, then the SDK's profiles. */
export function keySourceOf(env: NodeJS.ProcessEnv, dotEnv: Record<string, string>): KeySource {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return 'environment';
  if ((env.AWS_ACCESS_KEY_ID ?? dotEnv.AWS_ACCESS_KEY_ID) && (env.AWS_SECRET_ACCESS_KEY ?? dotEnv.AWS_SECRET_ACCESS_KEY)) return '.env';
  return hasProfileCredentials(env) ? 'AWS profile' : undefined;
}

export type ArchivedSettings = PublishSettings & { archive: NonNullable<PublishSettings['archive']> };

export function hasArchive(settings: PublishSettings): settings is ArchivedSettings {
  return settings.archive !== undefined;
}

/** Any failure as the CLI's one line: message, then what to do. */
export function errorLine(error: unknown): string {
  const failure = isFleuronError(error) ? error : new FleuronError('unexpected', (error as Error)?.message ?? String(error));
  return failure.hint ? `${failure.message} — ${failure.hint}` : failure.message;
}
