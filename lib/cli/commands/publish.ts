/** `fleuron publish [DIR]`: the command's flags and help; the work is in ../run-publish.ts. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { PublishFlags } from '../../config/publish-settings.js';
import { withTargetOptions } from '../target-options.js';
export interface PublishArgs extends PublishFlags {
  dir: string;
  out?: string;
  dryRun?: boolean;
  json?: boolean;
  force?: boolean;
  breakLock?: boolean;
  lockLabel?: string;
  quiet?: boolean;
  local?: boolean;
  localPort?: number;
  serve?: boolean;
  drafts?: boolean;
  offline?: boolean;
  hashCache?: boolean;
}


export const publishCommand: CommandModule<object, PublishArgs> = {
  command: 'publish [dir]',
  describe: 'build (if DIR holds sources) and publish the site to an S3 bucket',
  builder: (yargs: Argv) =>
    withTargetOptions(yargs)
      .positional('dir', { type: 'string', default: 'site-src', describe: 'site sources (built first) or an already built folder' })
      .option('dry-run', { alias: 'n', type: 'boolean', describe: 'print the plan, with a reason per action, and change nothing' })
      .option('json', { type: 'boolean', describe: 'print one JSON summary on stdout' })
      .option('concurrency', { type: 'number', describe: 'parallel requests (1-256, default 16) [env FLEURON_CONCURRENCY]' })
      .option('max-deletes', { type: 'number', describe: 'refuse to publish if more objects would be deleted (-1: no cap; default 256)' })
      .option('bandwidth', { type: 'string', describe: 'cap upload bandwidth, e.g. 500K or 2M (bytes/s)' })
      .option('gzip', { type: 'boolean', describe: 'store text files gzip-compressed (Content-Encoding: gzip)' })
      .option('hash-cache', { type: 'boolean', describe: 'skip re-reading files unchanged (size, mtime, ctime, inode) since the last publish; --no-hash-cache reads all (default on)' })
      .option('force', { type: 'boolean', describe: 'upload every file, even unchanged ones' })
      .option('break-lock', { type: 'boolean', describe: 'publish even though another publish holds the lock (when it is stale)' })
      .option('lock-label', { type: 'string', describe: 'who publishes, shown to a publish that finds the lock taken (public: no secrets) [env FLEURON_LOCK_LABEL]' })
      .option('quiet', { alias: 'q', type: 'boolean', describe: 'print only the summary and errors' })
      .option('out', { type: 'string', describe: 'where to build, when DIR holds sources (default public)' })
      .option('drafts', { type: 'boolean', describe: 'include draft pages when building' })
      .option('offline', { type: 'boolean', describe: "when building: the planet from its cache alone, fetching no member's feed" })
      .option('local', { type: 'boolean', describe: 'publish to an embedded S3 server on 127.0.0.1 (no keys needed; data in .fleuron/)' })
      .option('local-port', { type: 'number', default: 4568, describe: 'port of the embedded server' })
      .option('serve', { type: 'boolean', describe: 'with --local: keep serving the site until Ctrl-C (default on a terminal)' })
      .example('$0 publish site-src --local', 'build the example site and browse it on an embedded S3 server')
      .example('$0 publish public --bucket my-site --endpoint https://garage.example.org', 'publish a built folder to Garage (keys in .env)')
      .example('$0 publish --dry-run', 'show what would change, and why')
      .example('$0 publish --json > deploy.json', 'CI: machine-readable summary') as unknown as Argv<PublishArgs>,
  handler: async (args: ArgumentsCamelCase<PublishArgs>) => {
    // Loaded on use: the S3 SDK is the slowest import, and --help or build do not need it. The first listing page and
    // the manifest are requested, and the folder's scan started, before it is loaded (lib/publish/early-start.ts).
    const early = await import('../early-publish.js').then((module) => module.startPublishScans(args)).catch(() => undefined);
    const { runPublish } = await import('../run-publish.js');
    await runPublish(args, early);
  },
};

