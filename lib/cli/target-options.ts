/** The flags that name a bucket, shared by every command that talks to one. */
import type { Argv } from 'yargs';
import type { PublishFlags } from '../config/publish-settings.js';

export function withTargetOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('bucket', { type: 'string', describe: 'bucket name [env FLEURON_BUCKET]' })
    .option('endpoint', { type: 'string', describe: 'S3 endpoint URL [env AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL]' })
    .option('region', { type: 'string', describe: 'signing region, "garage" for Garage [env AWS_REGION]' })
    .option('prefix', { type: 'string', describe: 'key prefix of the site in the bucket [env FLEURON_PREFIX]' })
    .option('path-style', { type: 'boolean', describe: 'path-style addressing (default on; Garage needs it unless a root domain is set)' });
}

export function targetFlags(args: PublishFlags): PublishFlags {
  return { endpoint: args.endpoint, region: args.region, bucket: args.bucket, prefix: args.prefix, pathStyle: args.pathStyle };
}

/** The lock label: --lock-label, else FLEURON_LOCK_LABEL. */
export function lockLabelFrom(args: { lockLabel?: string }): string | undefined {
  return args.lockLabel ?? (process.env.FLEURON_LOCK_LABEL || undefined);
}
