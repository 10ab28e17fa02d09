/**
 * What a publish starts before the S3 client is loaded: the folder's scan, and (with an endpoint and keys) the first
 * listing page and the manifest (early-reads.ts), then the rest of the listing. Loading the AWS SDK takes 0.25–0.4 s
 * of the main thread; the scan's disk reads and hashing threads, and the listing's round trips, run during it instead
 * of after it. Nothing here imports the SDK, so that loading this module does not load it.
 */
import { compileHeaderPolicy } from '../headers/header-rules.js';
import type { EarlyReads } from './early-reads.js';
import { rangeBounds } from './listing-ranges.js';
import type { PublishOptions } from './publish.js';
import { FileFeed } from './file-feed.js';
import { scanLocal, type LocalScan } from './scan-local.js';
import { scanRemote, type RemoteScan } from './scan-remote.js';
import { MANIFEST_NAME, stateKey } from './state-keys.js';
import { readManifest } from './manifest.js';
import type { Manifest } from './types.js';

/** What decides the scans: the same values give the same scans. */
export type ScanOptions = Pick<PublishOptions, 'dir' | 'endpoint' | 'bucket' | 'prefix' | 'headerRules' | 'gzip' | 'exclude' | 'include' | 'hashCache' | 'builtCopies'>;

/** The folder's scan, started. */
export interface StartedLocalScan {
  local: Promise<LocalScan>;
  /** Where the listing's ranges end (see scanRemote); [] once the scan is over or failed without them. */
  rangeEnds: Promise<readonly string[]>;
  /** The folder's keys once walked; undefined when the scan failed before. */
  walked: Promise<readonly string[] | undefined>;
  /** The files as they are hashed (see early-lock.ts, early-uploads.ts). */
  files: FileFeed;
}

export interface EarlyStart {
  /** The options they were started with (see scanOptionsKey): a publish uses them only if its own are the same. */
  key: string;
  local: StartedLocalScan;
  remote?: EarlyReads;
  /** The whole listing, through early GETs (see startEarlyListing), when `remote` was started. */
  listing?: Promise<RemoteScan>;
  /** The manifest read by `remote`, parsed; undefined when that read failed (read it again). */
  manifest?: Promise<Manifest | undefined>;
}

export function scanOptionsKey(options: ScanOptions): string {
  const { endpoint } = options;
  return JSON.stringify([
    options.dir,
    endpoint.endpoint,
    endpoint.forcePathStyle,
    endpoint.region,
    endpoint.credentials?.accessKeyId,
    options.bucket,
    options.prefix,
    options.headerRules,
    options.gzip,
    options.exclude,
    options.include,
    options.hashCache,
    // Never given to the early scans (a folder of sources is built first): a publish that has them scans again.
    options.builtCopies?.size ?? 0,
  ]);
}

/**
 * The folder's scan; the listing's range ends come from its keys (with the manifest's), as soon as it has walked.
 * `manifest`: the bucket's, for a fresh clone's hashes (see scanLocal).
 */
export function startLocalScan(options: ScanOptions, manifest?: Promise<Manifest>): StartedLocalScan {
  let announceEnds: (ends: readonly string[]) => void = () => {};
  const rangeEnds = new Promise<readonly string[]>((resolve) => (announceEnds = resolve));
  let announceWalked: (keys: readonly string[] | undefined) => void = () => {};
  const walked = new Promise<readonly string[] | undefined>((resolve) => (announceWalked = resolve));
  const files = new FileFeed();
  manifest?.catch(() => {}); // awaited by the scan only in a fresh clone; a failed read is the publish's to report
  const local = scanLocal({
    dir: options.dir,
    prefix: options.prefix,
    policy: compileHeaderPolicy({ rules: options.headerRules, gzip: options.gzip }),
    exclude: options.exclude,
    include: options.include,
    hashCache: options.hashCache,
    builtCopies: options.builtCopies,
    // Only the range ends are kept, not the keys.
    onKeys: (keys) => announceEnds(rangeBounds([...keys, stateKey(options.prefix, MANIFEST_NAME)])),
    onWalked: announceWalked,
    onFile: (file, read) => files.push(file, read),
    onOtherBlob: (key) => files.pushOtherBlob(key),
    onAssetsHashed: () => files.markAssetsHashed(),
    manifest,
  }).finally(() => {
    announceEnds([]);
    announceWalked(undefined);
  });
  local.catch(() => {}); // reported by the publish that awaits it
  return { local, rangeEnds, walked, files };
}

/** The manifest the early reads got, parsed as soon as it arrives; undefined when they failed to get it. */
export function earlyManifest(reads: EarlyReads): Promise<Manifest | undefined> {
  const manifest = reads.takeManifest().then((bytes) => (bytes === undefined ? undefined : readManifest(bytes ?? undefined)));
  manifest.catch(() => {}); // a failed read is read again by the publish
  return manifest;
}

/**
 * The whole listing without the S3 client: its first page is the early one, the other ranges start as soon as the
 * folder's walk gives their ends (scanRemote), so that they do not wait for the SDK to load.
 */
export function startEarlyListing(reads: EarlyReads, options: Pick<ScanOptions, 'bucket' | 'prefix'>, rangeEnds: Promise<readonly string[]>): Promise<RemoteScan> {
  const listing = scanRemote(reads.pages, options.bucket, options.prefix, { rangeEnds, firstPage: reads.firstPage });
  listing.catch(() => {}); // reported by the publish that awaits it
  return listing;
}
