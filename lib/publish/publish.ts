/**
 * One publish, start to end, as a list of named steps: scan both sides, decide the website and redirect mode, plan,
 * check the safety rules, then (holding the lock, taken during the scan once a change is sure: early-lock.ts)
 * configure the website, archive, apply; and summarise.
 */
import picomatch from 'picomatch';
import { checkArchiveBucket, markDeployFailed, recordDeploy, type ArchiveSettings } from '../archive/archive.js';
import { FleuronError } from '../errors/fleuron-error.js';
import { compileHeaderPolicy, type CompiledHeaderPolicy, type HeaderRule } from '../headers/header-rules.js';
import { displayEndpoint, type S3Endpoint } from '../s3/endpoint.js';
import { sdkPages } from '../s3/list-page.js';
import { readObjectBytes } from '../s3/read-text-object.js';
import { describeS3Error, type S3ErrorContext } from '../s3/s3-error.js';
import { S3Requests } from '../s3/s3-requests.js';
import { readWebsite, writeWebsite, NOT_PERMITTED_WARNING, type WebsiteConfig, type WebsiteState } from '../website/bucket-website.js';
import { redirectObjects } from './redirect-objects.js';
import type { SiteRedirect } from '../website/redirects.js';
import type { TrackedFile } from '../files/git-index.js';
import { applyPlan, uploadObject, type ApplyEvent, type ApplyResult } from './apply.js';
import { BandwidthLimit } from './bandwidth-limit.js';
import { scanOptionsKey, startLocalScan, type EarlyStart, type StartedLocalScan } from './early-start.js';
import { prepareManifestBody, readManifest } from './manifest.js';
import { plan as makePlan, planChangesBucket } from './plan.js';
import { EarlyLock } from './early-lock.js';
import { EarlyUploads, withEarlyUploadsSaid } from './early-uploads.js';
import { abortLeftoverUploads, acquirePublishLock, describeHolder, holdingLock, lockedError, lockLostError, readLockState, type LockState, type PublishLock } from './publish-lock.js';
import { checkSafety } from './safety.js';
import { scanLocal, type LocalScan } from './scan-local.js';
import { rangeBounds, scanRemote, type RemoteScan } from './scan-remote.js';
import { LOCK_NAME, MANIFEST_NAME, stateKey } from './state-keys.js';
import type { Manifest, Plan } from './types.js';
import { decideWebsite, type RedirectMode, type WebsiteDecision, type WebsiteOverride } from './website-decision.js';

export interface PublishOptions {
  /** The built site folder. */
  dir: string;
  endpoint: S3Endpoint;
  bucket: string;
  /** Normalised prefix (`''` or `site/`). */
  prefix: string;
  concurrency: number;
  /** Refuse the whole publish when it would delete more; negative means no cap. */
  maxDeletes: number;
  dryRun?: boolean;
  force?: boolean;
  /** Publish even if another publish holds the lock. */
  breakLock?: boolean;
  /** Shown to whoever finds the lock taken (the lock is public: no user or host name is written). */
  lockLabel?: string;
  headerRules?: readonly HeaderRule[];
  gzip?: boolean;
  exclude?: readonly string[];
  include?: readonly string[];
  /** Remote keys (globs, without prefix) never deleted. */
  keep?: readonly string[];
  /** Upload cap in bytes per second. */
  bandwidth?: number;
  /** Reuse local hashes of files unchanged since the last publish (default true). */
  hashCache?: boolean;
  /** The files the build before this publish copied from sources git vouches for (see scan-local.ts). */
  builtCopies?: ReadonlyMap<string, TrackedFile>;
  /** Keep the versions this publish replaces or deletes in this bucket (see lib/archive). */
  archive?: ArchiveSettings;
  /** Make the bucket a website with these documents (skipped when undefined). */
  website?: WebsiteConfig;
  /** Redirects to publish: as routing rules where the server has them, else as redirect objects. */
  redirects?: readonly SiteRedirect[];
  /** URL path of the site root, for redirect Locations (default `/<prefix>`; `/<bucket>/<prefix>` on a path-style website endpoint). */
  siteRootPath?: string;
  /** The scans started before the S3 client was loaded (see early-start.ts); used if started with these options. */
  early?: EarlyStart;
  onEvent?: (event: PublishEvent) => void;
}

export type PublishEvent =
  | { type: 'scanned-local'; files: number; bytes: number }
  | { type: 'scanned-remote'; objects: number }
  /** Once per publish, with the plan that is applied. */
  | { type: 'planned'; plan: Plan }
  | ApplyEvent;

export interface PublishSummary {
  ok: boolean;
  dryRun: boolean;
  bucket: string;
  prefix: string;
  endpoint: string;
  uploaded: number;
  headersUpdated: number;
  deleted: number;
  unchanged: number;
  bytesUploaded: number;
  /** Local files not read because the hash cache knew them unchanged. */
  hashesFromCache: number;
  /** Local files not read because git's index and the manifest gave their hashes (a fresh clone: clone-hashes.ts). */
  hashesFromGit: number;
  /** Of `uploaded`, the files uploaded while the folder was still being hashed (see early-uploads.ts). */
  uploadedDuringScan: number;
  requests: { total: number; byOperation: Record<string, number> };
  durationMs: number;
  warnings: string[];
  /** Id of this deploy in the archive, when an archive is configured and something changed. */
  deployId?: string;
  /** What happened to the bucket's website configuration. */
  website?: 'unchanged' | 'configured' | 'would-configure' | 'not-permitted';
  /** How redirects were published. */
  redirects?: { count: number; as: RedirectMode };
}

export interface PublishOutcome {
  summary: PublishSummary;
  plan: Plan;
}

/** What both scans found. */
interface Scanned {
  local: LocalScan;
  remote: RemoteScan;
  manifest: Manifest;
  manifestFound: boolean;
  lock: LockState;
  /** The live website configuration (undefined when fleuron does not configure it). */
  website?: WebsiteState;
}

/** The plan and the website decision it was made for. */
interface Decided {
  website: WebsiteDecision;
  plan: Plan;
  warnings: string[];
}

/** What changing the bucket did. */
interface Changed {
  decided: Decided;
  applied?: ApplyResult;
  deployId?: string;
  websiteWritten: boolean;
  warnings: string[];
}

/** The parts of a publish every step needs. */
interface PublishRun {
  options: PublishOptions;
  /** Signed requests where they do; the S3 client, made on first use, for the rest (a no-op makes none). */
  requests: S3Requests;
  context: (doing: string) => S3ErrorContext;
  emit: (event: PublishEvent) => void;
  isOurs: (key: string) => boolean;
  /** The lock taken during the scan once a change is sure (early-lock.ts); set by scanBothSides. */
  earlyLock?: EarlyLock;
  /** The uploads made under that lock while the scan runs (early-uploads.ts), started with it. */
  earlyUploads?: EarlyUploads;
  /** The upload cap, shared by the early uploads and apply. */
  bandwidth?: BandwidthLimit;
  /** The folder's hash cache, written while the publish goes on (scan-local.ts): awaited before publish() returns. */
  hashCacheSaved?: Promise<void>;
}

export async function publish(options: PublishOptions): Promise<PublishOutcome> {
  const started = Date.now();
  const endpoint = displayEndpoint(options.endpoint.endpoint);
  const early = options.early?.key === scanOptionsKey(options) ? options.early : undefined;
  // The requests sent early are counted with the others.
  const requests = new S3Requests(options.endpoint, { maxSockets: options.concurrency, counter: early?.remote?.counter });
  const client = () => requests.client();
  early?.remote?.useClientPages(sdkPages(client));
  const keep = options.keep && options.keep.length > 0 ? picomatch([...options.keep], { dot: true }) : undefined;
  const run: PublishRun = {
    options,
    requests,
    context: (doing) => ({ bucket: options.bucket, endpoint, region: options.endpoint.region, doing }),
    emit: options.onEvent ?? (() => {}),
    isOurs: (key) => key.startsWith(options.prefix) && !keep?.(key.slice(options.prefix.length)),
    bandwidth: options.bandwidth ? new BandwidthLimit(options.bandwidth) : undefined,
  };
  try {
    const scanned = await scanBothSides(run, early);
    const warnings = [...scanned.local.warnings, ...checkLockFound(run, scanned.lock)];
    const decided = decide(run, scanned);
    const changesBucket = planChangesBucket(decided.plan) || decided.website.needsWrite || scanned.lock.kind !== 'free';
    if (options.archive && hasActions(decided.plan)) {
      await checkArchiveBucket(await client(), options.archive, options.bucket).catch((error) => {
        throw describeS3Error(error, { ...run.context('checking the archive bucket'), bucket: options.archive!.bucket });
      });
    }
    let changed: Changed = { decided, websiteWritten: false, warnings: [] };
    if (!options.dryRun && changesBucket) {
      const manifestBody = prepareManifest(decided.plan);
      const lock = run.earlyLock?.claim() ?? acquirePublishLock({ requests, bucket: options.bucket, prefix: options.prefix, label: options.lockLabel });
      // The lock is given back only once no upload started during the scan is still running.
      changed = await holdingLock(lock, (held) => changeBucket(run, scanned, decided, held, manifestBody).finally(() => run.earlyUploads?.settled())).catch(
        (error) => {
          throw describeS3Error(error, run.context('taking the publish lock'));
        },
      );
    } else {
      run.emit({ type: 'planned', plan: decided.plan });
    }
    const summary = summarise(options, scanned, changed, [...warnings, ...changed.warnings, ...changed.decided.warnings], endpoint);
    summary.requests = { total: requests.counter.total, byOperation: requests.counter.byOperation() };
    summary.durationMs = Date.now() - started;
    return { summary, plan: changed.decided.plan };
  } catch (error) {
    throw await afterEarlyUploads(run, error);
  } finally {
    await run.earlyLock?.releaseUnclaimed();
    requests.destroy();
    await run.hashCacheSaved;
  }
}

/**
 * The folder and the bucket are scanned at the same time: one is disk and CPU, the other network. The manifest, the
 * website configuration and the lock are read while the listing runs, a round trip less each.
 */
async function scanBothSides(run: PublishRun, early: EarlyStart | undefined): Promise<Scanned> {
  const { options, requests } = run;
  const client = () => requests.client();
  const manifestKey = stateKey(options.prefix, MANIFEST_NAME);
  // Parsed as soon as it arrives (25-50 ms at 10,000 objects), while the folder is still being scanned.
  const readEarly = early?.manifest ?? Promise.resolve(undefined);
  const manifestRead = readEarly.then(async (read) => read ?? readManifest(await readObjectBytes(await client(), options.bucket, manifestKey)));
  manifestRead.catch(() => {}); // used only if the listing shows it exists
  const website = options.website ? readWebsite(requests, options.bucket, early?.remote?.website) : Promise.resolve(undefined);
  website.catch(() => {}); // reported below, in order
  // The listing is split on the folder's keys (see scanRemote), told by the folder's scan.
  const started = early?.local ?? startLocalScan(options, manifestRead);
  const remoteScan = early?.listing ?? scanRemote(sdkPages(client), options.bucket, options.prefix, { rangeEnds: started.rangeEnds, firstPage: early?.remote?.firstPage });
  remoteScan.catch(() => {}); // reported below, after the local scan's own errors
  const compared = remoteScan.then(async (listing) => ({ listing, manifest: listing.state.has(manifestKey) ? await manifestRead : readManifest(undefined) }));
  compared.catch(() => {}); // reported below
  run.earlyLock = earlyLockFor(run, started, compared);
  const local = await started.local;
  run.hashCacheSaved = local.hashCacheSaved;
  run.emit({ type: 'scanned-local', files: local.files.length, bytes: local.files.reduce((sum, file) => sum + file.size, 0) });
  const remote = await remoteScan.catch((error) => {
    throw describeS3Error(error, run.context('listing the bucket'));
  });
  run.emit({ type: 'scanned-remote', objects: remote.objects.size });
  const manifestFound = remote.state.has(manifestKey);
  const manifest = manifestFound
    ? await manifestRead.catch((error) => {
        throw describeS3Error(error, run.context('reading the manifest'));
      })
    : readManifest(undefined);
  const lock: LockState = remote.state.has(stateKey(options.prefix, LOCK_NAME))
    ? await readLockState(requests, options.bucket, options.prefix).catch((error) => {
        throw describeS3Error(error, run.context('reading the publish lock'));
      })
    : { kind: 'free' };
  const live = await website.catch((error) => {
    throw describeS3Error(error, run.context('reading the website configuration'));
  });
  return { local, remote, manifest, manifestFound, lock, website: live };
}

/**
 * The lock taken during the scan once a change is sure (see early-lock.ts for when it applies), and the uploads that
 * start with it (early-uploads.ts).
 */
function earlyLockFor(run: PublishRun, started: StartedLocalScan, remote: Promise<{ listing: RemoteScan; manifest: Manifest }>): EarlyLock | undefined {
  const { options } = run;
  if (options.dryRun || options.archive || (options.redirects?.length ?? 0) > 0) {
    started.files.stopHolding();
    return undefined;
  }
  const target = { requests: run.requests, bucket: options.bucket, bandwidth: run.bandwidth };
  return new EarlyLock({
    walked: started.walked,
    files: started.files,
    remote,
    lockKey: stateKey(options.prefix, LOCK_NAME),
    isOurs: run.isOurs,
    maxDeletes: options.maxDeletes,
    take: () => acquirePublishLock({ requests: run.requests, bucket: options.bucket, prefix: options.prefix, label: options.lockLabel }),
    // Taken before the walk ended (a fresh clone's change known from git), the lock lets nothing up until it did.
    onTake: (lock, mayUpload) => {
      const held = Promise.all([lock, mayUpload]);
      run.earlyUploads = new EarlyUploads({ files: started.files, lock: held, remote, upload: (file) => uploadObject(file, target), concurrency: options.concurrency });
    },
  });
}

/** A lock held by a running publish stops this one (a dry run only warns), unless --break-lock. */
function checkLockFound(run: PublishRun, lock: LockState): string[] {
  if (lock.kind !== 'held' || run.options.breakLock) return [];
  if (!run.options.dryRun) throw lockedError(run.options.bucket, run.options.prefix, lock.record);
  return [`another publish is running (${describeHolder(lock.record)})`];
}

/** Pure: the website decision, then the plan for it (redirect objects join the folder's files), safety checked. */
function decide(run: PublishRun, scanned: Scanned, override: WebsiteOverride = {}): Decided {
  const { options } = run;
  const redirects = options.redirects ?? [];
  const website = decideWebsite(
    { website: options.website, redirects, prefix: options.prefix, live: scanned.website, remembered: scanned.manifest.website, isOurs: run.isOurs, force: options.force },
    override,
  );
  const files = scanned.local.files;
  const extra =
    website.mode === 'objects' ? redirectObjects(redirects, files, options.prefix, options.siteRootPath ?? `/${options.prefix}`, options.website?.indexDocument) : { objects: [], warnings: [] };
  const plan = makePlan({
    local: extra.objects.length > 0 ? [...files, ...extra.objects] : files,
    remote: scanned.remote.objects,
    manifest: scanned.manifest,
    manifestFound: scanned.manifestFound,
    force: options.force,
    keep: (key) => !run.isOurs(key),
    website: website.fingerprint,
  });
  checkSafety({
    kind: 'publish',
    deletes: plan.deletes.length,
    existing: scanned.remote.objects.size,
    remaining: files.length,
    maxDeletes: options.maxDeletes,
    emptyReason: `the folder ${options.dir} has nothing to publish`,
  });
  return { website, plan, warnings: extra.warnings };
}

/** The stored bytes of the plan's manifest, made while the lock's round trips and the uploads run (apply writes them). */
function prepareManifest(plan: Plan): Promise<Buffer> | undefined {
  if (!planChangesBucket(plan)) return undefined;
  const body = prepareManifestBody(plan.manifest);
  body.catch(() => {}); // apply makes it again if it is needed and failed
  return body;
}

/** Under the lock: clean up after an unfinished publish, configure the website, archive, apply. */
async function changeBucket(run: PublishRun, scanned: Scanned, first: Decided, lock: PublishLock, manifestBody?: Promise<Buffer>): Promise<Changed> {
  const { options, requests } = run;
  const warnings: string[] = [];
  if (scanned.lock.kind !== 'free') warnings.push(await cleanUpAfterUnfinished(run, scanned.lock));
  const { decided, written, notPermitted } = await configureWebsite(run, scanned, first);
  // Only a refusal met while writing: one found when reading is reported by summarise.
  if (notPermitted) warnings.push(NOT_PERMITTED_WARNING);
  run.emit({ type: 'planned', plan: decided.plan });
  const { plan } = decided;
  if (!planChangesBucket(plan)) return { decided, websiteWritten: written, warnings };

  const deploy = options.archive && hasActions(plan)
    ? await recordDeploy(await requests.client(), options.archive, { bucket: options.bucket, prefix: options.prefix, kind: 'publish', changes: publishChanges(plan, scanned.remote.objects), concurrency: options.concurrency }).catch((error) => {
        throw describeS3Error(error, run.context(`archiving the versions this publish replaces in bucket "${options.archive!.bucket}" (nothing was changed)`));
      })
    : undefined;
  run.earlyUploads?.stop(); // apply takes over, and waits for those it started
  const applied = await applyPlan(plan, {
    requests,
    bucket: options.bucket,
    prefix: options.prefix,
    concurrency: options.concurrency,
    previousManifest: scanned.manifest,
    // Made for the first plan; a website the server refused changes the plan.
    plannedManifestBody: decided === first ? manifestBody : undefined,
    bandwidth: run.bandwidth,
    early: run.earlyUploads,
    onEvent: run.emit,
    beforeDeletes: async () => {
      const holder = await lock.holder(LOCK_CONFIRMED_RECENTLY_MS);
      if (holder !== undefined) throw lockLostError(options.bucket, options.prefix, holder);
    },
  });
  const failure = applied.failures[0];
  if (failure) {
    const error = applyFailure(run, applied, failure);
    if (deploy) await markDeployFailed(await requests.client(), options.archive!, deploy, error.message).catch(() => {});
    throw error;
  }
  return { decided, applied, deployId: deploy?.id, websiteWritten: written, warnings };
}

/**
 * Writes the website configuration when it differs from the live one. A server that refuses routing rules gets
 * redirect objects instead (the plan changes with it); a key that may not configure it gets a warning.
 */
async function configureWebsite(run: PublishRun, scanned: Scanned, decided: Decided): Promise<{ decided: Decided; written: boolean; notPermitted: boolean }> {
  if (!decided.website.needsWrite || !decided.website.wanted) return { decided, written: false, notPermitted: false };
  const client = await run.requests.client();
  const write = (wanted: WebsiteConfig) =>
    writeWebsite(client, run.options.bucket, wanted).catch((error) => {
      throw describeS3Error(error, run.context('configuring website hosting'));
    });
  let outcome = await write(decided.website.wanted);
  if (outcome === 'rules-refused') {
    decided = decide(run, scanned, { mode: 'objects' });
    outcome = decided.website.wanted ? await write(decided.website.wanted) : 'unchanged';
  }
  if (outcome === 'not-permitted') return { decided: decide(run, scanned, { mode: decided.website.mode, notPermitted: true }), written: false, notPermitted: true };
  return { decided, written: outcome === 'configured', notPermitted: false };
}

/** Errors that say how many files were uploaded (applyFailure's): afterEarlyUploads leaves them as they are. */
const saysWhatWasUploaded = new WeakSet<object>();

/** An error met once uploads had started during the scan: they are waited for (the lock is given back after), and said. */
async function afterEarlyUploads(run: PublishRun, error: unknown): Promise<unknown> {
  const early = run.earlyUploads;
  if (!early) return error;
  early.stop();
  const uploaded = await early.settled();
  if (!(error instanceof FleuronError) || saysWhatWasUploaded.has(error)) return error;
  return withEarlyUploadsSaid(error, uploaded);
}

/** The failure of an apply as one line, saying what was done and that nothing was deleted. */
function applyFailure(run: PublishRun, applied: ApplyResult, failure: ApplyResult['failures'][number]): FleuronError {
  const described = describeS3Error(failure.error, run.context(`publishing ${failure.key}`));
  const others = applied.failures.length > 1 ? ` (and ${applied.failures.length - 1} more)` : '';
  const deleted = applied.deleted > 0 ? `${applied.deleted} were deleted before the failure` : 'nothing was deleted';
  const error = new FleuronError(described.code, `${described.message}${others}`, {
    hint: [
      `${applied.uploaded} files were uploaded and ${deleted}: run the same command again to finish`,
      ...(described.hint && !/run the same command again/.test(described.hint) ? [described.hint] : []),
    ].join('; '),
    exitCode: described.exitCode,
    cause: failure.error,
  });
  saysWhatWasUploaded.add(error);
  return error;
}

/**
 * A lock read back as ours this recently is not read again before the deletes: the check is there for a publish whose
 * uploads took long after it took the lock; one that only deletes took it a moment ago (measured on Ceph with 15-25 ms
 * per request, 1 % deleted: 0.1-0.2 s before, and the second read cost a round trip before the deletes). Another
 * publish taking the lock over within that half second goes unseen, as one taking it over between the check and the
 * deletes would anyway.
 */
const LOCK_CONFIRMED_RECENTLY_MS = 500;

const hasActions = (plan: Plan) => plan.uploads.length + plan.headerUpdates.length + plan.deletes.length > 0;

/** What a publish deploy changes, for its record: the keys that existed before are archived. */
function publishChanges(plan: Plan, remote: ReadonlyMap<string, unknown>) {
  return [
    ...plan.uploads.map((action) => ({ key: action.key, action: 'upload' as const, archived: remote.has(action.key) })),
    ...plan.headerUpdates.map((action) => ({ key: action.key, action: 'update-headers' as const, archived: true })),
    ...plan.deletes.map((action) => ({ key: action.key, action: 'delete' as const, archived: true })),
  ];
}

/** A publish that did not finish leaves its lock and maybe multipart uploads: abort them. */
async function cleanUpAfterUnfinished(run: PublishRun, state: LockState): Promise<string> {
  const why = state.kind === 'abandoned' ? state.why : 'its lock was broken with --break-lock';
  try {
    const aborted = await abortLeftoverUploads(await run.requests.client(), run.options.bucket, run.options.prefix);
    return `a previous publish did not finish (${why}); aborted ${aborted} incomplete multipart uploads`;
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'error';
    return `a previous publish did not finish (${why}); could not list its incomplete multipart uploads (${name}): they cost space until the bucket's lifecycle rules remove them`;
  }
}

/** Pure: the summary of what was done (or, on a dry run, what would be). */
function summarise(options: PublishOptions, scanned: Scanned, changed: Changed, warnings: string[], endpoint: string): PublishSummary {
  const { plan, website } = changed.decided;
  const applied = changed.applied;
  const dryRun = options.dryRun === true;
  const redirects = options.redirects ?? [];
  const websiteStatus: PublishSummary['website'] =
    options.website === undefined
      ? undefined
      : scanned.website?.kind === 'not-permitted' || (website.wanted === undefined && !dryRun)
        ? 'not-permitted'
        : dryRun
          ? website.needsWrite ? 'would-configure' : 'unchanged'
          : changed.websiteWritten ? 'configured' : 'unchanged';
  if (scanned.website?.kind === 'not-permitted') warnings.push(NOT_PERMITTED_WARNING);
  return {
    ok: true,
    dryRun,
    bucket: options.bucket,
    prefix: options.prefix,
    endpoint,
    uploaded: dryRun ? plan.uploads.length : (applied?.uploaded ?? 0),
    headersUpdated: dryRun ? plan.headerUpdates.length : (applied?.headersUpdated ?? 0),
    deleted: dryRun ? plan.deletes.length : (applied?.deleted ?? 0),
    unchanged: plan.unchanged,
    bytesUploaded: dryRun ? plan.uploads.reduce((sum, action) => sum + action.file.size, 0) : (applied?.bytesUploaded ?? 0),
    hashesFromCache: scanned.local.hashesFromCache,
    hashesFromGit: scanned.local.hashesFromGit,
    uploadedDuringScan: applied?.uploadedDuringScan ?? 0,
    requests: { total: 0, byOperation: {} },
    durationMs: 0,
    warnings,
    ...(changed.deployId ? { deployId: changed.deployId } : {}),
    ...(websiteStatus ? { website: websiteStatus } : {}),
    ...(redirects.length > 0 ? { redirects: { count: redirects.length, as: website.mode } } : {}),
  };
}
