/**
 * `fleuron publish`'s scans, started from the settings alone while the S3 SDK loads (lib/publish/early-start.ts).
 * Not for the embedded server (it starts later), nor for a folder of sources (it is built first, and the bucket
 * may change while it builds). Kept apart from run-publish.ts so that loading it does not load the SDK.
 */
import path from 'node:path';
import type { ArgumentsCamelCase } from 'yargs';
import { startEarlyReads } from '../publish/early-reads.js';
import type { EarlyStart, ScanOptions } from '../publish/early-start.js';
import { endpointOf } from '../publish/settings-options.js';
import type { PublishArgs } from './commands/publish.js';
import { checkTarget, pickFlags, readPublishSettings } from './publish-target.js';
import { isSourceFolder } from './site-source.js';

/** The scans, started; undefined when they do not apply or the settings do not resolve (runPublish then says why). */
export async function startPublishScans(args: ArgumentsCamelCase<PublishArgs>): Promise<EarlyStart | undefined> {
  if (args.local) return undefined;
  try {
    const dir = path.resolve(args.dir);
    const { settings } = await readPublishSettings(dir, pickFlags(args));
    const bucket = checkTarget(settings);
    if (await isSourceFolder(dir)) return undefined;
    const options: ScanOptions = {
      dir,
      endpoint: endpointOf(settings),
      bucket,
      prefix: settings.prefix,
      headerRules: settings.headers,
      gzip: settings.gzip,
      exclude: settings.exclude,
      include: settings.include,
      hashCache: args.hashCache,
    };
    const remote = startEarlyReads(options, settings.website.configure);
    // Loading modules takes the main thread (the SDK's for 0.2 s or more): the requests go out first; a slow
    // connection holds the rest back no more than 0.2 s.
    await Promise.race([remote?.written, new Promise((resolve) => setTimeout(resolve, 200).unref())]);
    const { earlyManifest, scanOptionsKey, startEarlyListing, startLocalScan } = await import('../publish/early-start.js');
    const manifest = remote && earlyManifest(remote);
    // The scan asks for the manifest only in a fresh clone (git's index and no hash cache): not there if it was not read.
    const local = startLocalScan(options, manifest?.then((read) => read ?? Promise.reject(new Error('manifest not read early'))));
    // The listing's ranges need no SDK: they go out as soon as the walk gives their ends. The SDK is loaded right
    // after (not after the walk: in a fresh clone the walk feeds the hashing threads, and is most of the scan).
    return { key: scanOptionsKey(options), local, remote, manifest, listing: remote && startEarlyListing(remote, options, local.rangeEnds) };
  } catch {
    return undefined;
  }
}
