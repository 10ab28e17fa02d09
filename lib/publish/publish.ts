/** One publish, start to end: scan the folder and the bucket, plan, check the safety rules, apply. */
import picomatch from 'picomatch';
import { ExitCode, FleuronError } from '../errors/fleuron-error.js';
import { compileHeaderPolicy, type HeaderRule } from '../headers/header-rules.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { archiveBeforeChange, ensureRetention, type ArchiveSettings } from '../archive/archive.js';
import { makeDeployId, type DeployRecord } from '../archive/deploy-record.js';
import { createS3Connection, type S3Endpoint } from '../s3/client.js';
import { describeS3Error } from '../s3/s3-error.js';
import { applyPlan, type ApplyEvent } from './apply.js';
import { BandwidthLimit } from './bandwidth-limit.js';
import { manifestRangeEnds, MANIFEST_NAME, parseManifest } from './manifest.js';
import { plan as makePlan, planChangesBucket } from './plan.js';
import { abortLeftoverUploads, describeHolder, lockedError, lockLostError, LOCK_NAME, PublishLock, readLockState, type LockRecord, type LockState } from './publish-lock.js';
import { scanLocal } from './scan-local.js';
import { inKeyOrder, PAGE_KEYS, rangeBounds, readTextObject, scanRemote, stateKey } from './scan-remote.js';
import type { LocalFile, Plan } from './types.js';
import { MAX_ROUTING_RULES, NOT_PERMITTED_WARNING, readWebsite, routingRulesFor, sameWebsite, writeWebsite, type WebsiteConfig, type WebsiteState } from '../website/bucket-website.js';
import { redirectObjects } from '../website/redirect-objects.js';
import type { SiteRedirect } from '../website/redirects.js';

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
  /** Keep the versions this publish replaces or deletes in this bucket (see lib/archive). */
  archive?: ArchiveSettings;
  /** Make the bucket a website with these documents (skipped when undefined). */
  website?: WebsiteConfig;
  /** Redirects to publish: as routing rules where the server has them, else as redirect objects. */
  redirects?: readonly SiteRedirect[];
  /** URL path of the site root, for redirect Locations (default `/<prefix>`; `/<bucket>/<prefix>` on a path-style website endpoint). */
  siteRootPath?: string;
  onEvent?: (event: PublishEvent) => void;
}

export type PublishEvent =
  | { type: 'scanned-local'; files: number; bytes: number }
  | { type: 'scanned-remote'; objects: number }
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
  requests: { total: number; byOperation: Record<string, number> };
  durationMs: number;
  warnings: string[];
  /** Id of this deploy in the archive, when an archive is configured and something changed. */
  deployId?: string;
  /** What happened to the bucket's website configuration. */
  website?: 'unchanged' | 'configured' | 'would-configure' | 'not-permitted';
  /** How redirects were published. */
  redirects?: { count: number; as: 'routing rules' | 'objects' };
}

export interface PublishOutcome {
  summary: PublishSummary;
  plan: Plan;
}

export async function publish(options: PublishOptions): Promise<PublishOutcome> {
  const started = Date.now();
  const emit = options.onEvent ?? (() => {});
  const endpointName = options.endpoint.endpoint ?? 'AWS S3';
  const context = (doing: string) => ({ bucket: options.bucket, endpoint: endpointName, region: options.endpoint.region, doing });

  const policy = compileHeaderPolicy({ rules: options.headerRules, gzip: options.gzip });
  const { client, counter } = createS3Connection(options.endpoint, { maxSockets: options.concurrency });
  try {
    // The folder and the bucket are scanned at the same time: one is disk and CPU, the other network.
    // Fetched while the listing runs, a round trip less; used only if the listing shows it exists.
    const manifestKey = stateKey(options.prefix, MANIFEST_NAME);
    const manifestText = readTextObject(client, options.bucket, manifestKey);
    manifestText.catch(() => {});
    // The listing is split on the keys the bucket should hold: the last publish's, sampled from its manifest without
    // parsing it (files deleted since are still in the bucket), else the folder's. The manifest key itself is
    // expected too: in the first range, it takes no page of its own. Only the range ends are kept, not the keys.
    let announceLocalEnds: (ends: readonly string[]) => void = () => {};
    const localEnds = new Promise<readonly string[]>((resolve) => (announceLocalEnds = resolve));
    let manifestGaveEnds = false;
    const rangeEnds = manifestText
      .catch(() => undefined)
      .then((text) => {
        const published = text === undefined ? [] : manifestRangeEnds(text, PAGE_KEYS);
        manifestGaveEnds = published.length > 0;
        return manifestGaveEnds ? inKeyOrder(published) : localEnds;
      });
    const remoteScan = scanRemote(client, options.bucket, options.prefix, { rangeEnds }).catch((error) => {
      throw describeS3Error(error, context('listing the bucket'));
    });
    remoteScan.catch(() => {}); // reported below, after the local scan's own errors
    const local = await scanLocal({
      dir: options.dir,
      prefix: options.prefix,
      policy,
      exclude: options.exclude,
      include: options.include,
      hashCache: options.hashCache,
      // Sorting the folder's keys is skipped when the manifest, usually back by then, already gave the ends.
      onKeys: (keys) => {
        if (!manifestGaveEnds) announceLocalEnds(rangeBounds([...keys, manifestKey], PAGE_KEYS));
      },
    }).finally(() => announceLocalEnds([]));
    const files = local.files;
    emit({ type: 'scanned-local', files: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) });
    const remote = await remoteScan;
    emit({ type: 'scanned-remote', objects: remote.objects.size });
    const manifestFound = remote.state.has(manifestKey);
    const manifest = parseManifest(
      manifestFound
        ? await manifestText.catch((error) => {
            throw describeS3Error(error, context('reading the manifest'));
          })
        : undefined,
    );

    const lockState: LockState = remote.state.has(stateKey(options.prefix, LOCK_NAME))
      ? await readLockState(client, options.bucket, options.prefix).catch((error) => {
          throw describeS3Error(error, context('reading the publish lock'));
        })
      : { kind: 'free' };
    const refuse = (record: LockRecord) => lockedError(options.bucket, options.prefix, record);
    const warnings = [...local.warnings];
    if (lockState.kind === 'held' && !options.breakLock) {
      if (!options.dryRun) throw refuse(lockState.record);
      warnings.push(`another publish is running (${describeHolder(lockState.record)})`);
    }

    const keep = options.keep && options.keep.length > 0 ? picomatch([...options.keep], { dot: true }) : undefined;
    const redirects = options.redirects ?? [];
    const canTryRules = options.website !== undefined && redirects.length > 0 && redirects.length <= MAX_ROUTING_RULES;
    const wantedFor = (mode: 'routing rules' | 'objects'): WebsiteConfig | undefined =>
      options.website && { ...options.website, ...(mode === 'routing rules' ? { routingRules: routingRulesFor(redirects, options.prefix) } : {}) };
    const fingerprintFor = (mode: 'routing rules' | 'objects') =>
      createHash('sha256').update(JSON.stringify({ mode, website: wantedFor(mode), redirects })).digest('hex').slice(0, 16);
    // The manifest remembers the configuration fleuron last applied: an unchanged one is not read back.
    const remembered =
      options.website && !options.force && manifest.website !== undefined
        ? canTryRules && manifest.website === fingerprintFor('routing rules')
          ? 'routing rules'
          : manifest.website === fingerprintFor('objects')
            ? 'objects'
            : undefined
        : undefined;
    const website: WebsiteState | undefined = !options.website
      ? undefined
      : remembered
        ? { kind: 'found', config: wantedFor(remembered)! }
        : await readWebsite(client, options.bucket).catch((error) => {
            throw describeS3Error(error, context('reading the website configuration'));
          });
    // Routing rules are tried first (Garage 2.x); a server that refuses them gets redirect objects.
    let redirectMode: 'routing rules' | 'objects' = remembered ?? (canTryRules && website?.kind !== 'not-permitted' ? 'routing rules' : 'objects');
    let websiteApplies = website !== undefined && website.kind !== 'not-permitted';
    const wantedWebsite = () => wantedFor(redirectMode);
    const planFor = () => {
      const extra = redirectMode === 'objects' ? redirectObjects(redirects, files, options.prefix, options.siteRootPath ?? `/${options.prefix}`, options.website?.indexDocument) : { objects: [], warnings: [] };
      const result = makePlan({
        local: [...files, ...extra.objects],
        remote: remote.objects,
        manifest,
        manifestFound,
        force: options.force,
        keep: keep ? (key) => keep(key.slice(options.prefix.length)) : undefined,
        website: websiteApplies ? fingerprintFor(redirectMode) : undefined,
      });
      checkSafety(result, files.length, remote.objects.size, options);
      emit({ type: 'planned', plan: result });
      return { plan: result, warnings: extra.warnings };
    };
    let { plan, warnings: redirectWarnings } = planFor();

    const summary: PublishSummary = {
      ok: true,
      dryRun: options.dryRun === true,
      bucket: options.bucket,
      prefix: options.prefix,
      endpoint: endpointName,
      uploaded: 0,
      headersUpdated: 0,
      deleted: 0,
      unchanged: 0,
      bytesUploaded: 0,
      hashesFromCache: local.hashesFromCache,
      requests: { total: 0, byOperation: {} },
      durationMs: 0,
      warnings,
    };
    const websiteNeedsWrite = () => website !== undefined && website.kind !== 'not-permitted' && !sameWebsite(website, wantedWebsite()!);
    if (website?.kind === 'not-permitted') {
      summary.website = 'not-permitted';
      warnings.push(NOT_PERMITTED_WARNING);
    } else if (website) {
      summary.website = websiteNeedsWrite() ? (options.dryRun ? 'would-configure' : 'configured') : 'unchanged';
    }
    const writeWebsiteConfig = async () => {
      if (!websiteNeedsWrite()) return;
      const write = (wanted: WebsiteConfig) =>
        writeWebsite(client, options.bucket, wanted).catch((error) => {
          throw describeS3Error(error, context('configuring website hosting'));
        });
      let outcome = await write(wantedWebsite()!);
      if (outcome === 'rules-refused') {
        redirectMode = 'objects';
        ({ plan, warnings: redirectWarnings } = planFor());
        outcome = await write(wantedWebsite()!);
      }
      if (outcome === 'not-permitted') {
        summary.website = 'not-permitted';
        warnings.push(NOT_PERMITTED_WARNING);
        websiteApplies = false; // not remembered: the next publish checks again
        ({ plan, warnings: redirectWarnings } = planFor());
      }
    };
    const applyAndCheck = async (lock: PublishLock) => {
      const result = await applyPlan(plan, {
        client,
        bucket: options.bucket,
        prefix: options.prefix,
        concurrency: options.concurrency,
        previousManifest: manifest,
        bandwidth: options.bandwidth ? new BandwidthLimit(options.bandwidth) : undefined,
        onEvent: emit,
        beforeDeletes: async () => {
          const holder = await lock.holder();
          if (holder !== undefined) throw lockLostError(options.bucket, options.prefix, holder);
        },
      });
      Object.assign(summary, {
        uploaded: result.uploaded,
        headersUpdated: result.headersUpdated,
        deleted: result.deleted,
        bytesUploaded: result.bytesUploaded,
      });
      const failure = result.failures[0];
      if (failure) {
        const described = describeS3Error(failure.error, context(`publishing ${failure.key}`));
        const others = result.failures.length > 1 ? ` (and ${result.failures.length - 1} more)` : '';
        throw new FleuronError(described.code, `${described.message}${others}`, {
          hint: [
            `${summary.uploaded} files were uploaded and nothing was deleted: run the same command again to finish`,
            ...(described.hint && !/run the same command again/.test(described.hint) ? [described.hint] : []),
          ].join('; '),
          exitCode: described.exitCode,
          cause: failure.error,
        });
      }
    };
    const leftover = lockState.kind !== 'free';
    if (!options.dryRun && (planChangesBucket(plan) || leftover || websiteNeedsWrite())) {
      const lock = new PublishLock(client, options.bucket, options.prefix);
      const other = await lock.acquire().catch((error) => {
        throw describeS3Error(error, context('taking the publish lock'));
      });
      if (other) throw refuse(other);
      try {
        if (leftover) warnings.push(await cleanUpAfterUnfinished(client, options, lockState));
        await writeWebsiteConfig();
        if (options.archive && plan.uploads.length + plan.headerUpdates.length + plan.deletes.length > 0) {
          summary.deployId = await archiveDeploy(client, options, plan, remote.objects).catch((error) => {
            throw describeS3Error(error, context(`archiving the versions this publish replaces in bucket "${options.archive!.bucket}" (nothing was changed)`));
          });
        }
        if (planChangesBucket(plan)) await applyAndCheck(lock);
      } finally {
        await lock.release().catch(() => {}); // an unreleased lock expires by itself
      }
    }
    Object.assign(summary, {
      unchanged: plan.unchanged,
      redirects: redirects.length > 0 ? { count: redirects.length, as: redirectMode } : undefined,
    });
    if (options.dryRun) {
      Object.assign(summary, {
        uploaded: plan.uploads.length,
        headersUpdated: plan.headerUpdates.length,
        deleted: plan.deletes.length,
        bytesUploaded: plan.uploads.reduce((sum, action) => sum + action.file.size, 0),
      });
    }
    warnings.push(...redirectWarnings);
    summary.requests = { total: counter.total, byOperation: counter.byOperation() };
    summary.durationMs = Date.now() - started;
    return { summary, plan };
  } finally {
    client.destroy();
  }
}

/** Archives what the plan will overwrite or delete, records the deploy, and keeps the retention rule set. */
async function archiveDeploy(client: S3Client, options: PublishOptions, plan: Plan, remote: ReadonlyMap<string, unknown>): Promise<string> {
  const archive = options.archive!;
  const record: DeployRecord = {
    version: 1,
    id: makeDeployId(),
    time: new Date().toISOString(),
    bucket: options.bucket,
    prefix: options.prefix,
    kind: 'publish',
    changes: [
      ...plan.uploads.map((action) => ({ key: action.key, action: 'upload' as const, archived: remote.has(action.key) })),
      ...plan.headerUpdates.map((action) => ({ key: action.key, action: 'update-headers' as const, archived: true })),
      ...plan.deletes.map((action) => ({ key: action.key, action: 'delete' as const, archived: true })),
    ],
  };
  await archiveBeforeChange(client, archive, record, options.concurrency);
  await ensureRetention(client, archive);
  return record.id;
}

/** A publish that did not finish leaves its lock and maybe multipart uploads: abort them. */
async function cleanUpAfterUnfinished(client: S3Client, options: PublishOptions, state: LockState): Promise<string> {
  const why = state.kind === 'abandoned' ? state.why : 'its lock was broken with --break-lock';
  try {
    const aborted = await abortLeftoverUploads(client, options.bucket, options.prefix);
    return `a previous publish did not finish (${why}); aborted ${aborted} incomplete multipart uploads`;
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'error';
    return `a previous publish did not finish (${why}); could not list its incomplete multipart uploads (${name}): they cost space until the bucket's lifecycle rules remove them`;
  }
}

function checkSafety(plan: Plan, localCount: number, remoteCount: number, options: PublishOptions): void {
  if (localCount === 0 && remoteCount > 0) {
    throw new FleuronError('empty-folder', `the folder ${options.dir} has nothing to publish, and the bucket holds ${remoteCount} objects`, {
      hint: 'refusing to empty the site: check the folder (was the site built?)',
      exitCode: ExitCode.usage,
    });
  }
  if (options.maxDeletes >= 0 && plan.deletes.length > options.maxDeletes) {
    throw new FleuronError('too-many-deletes', `this publish would delete ${plan.deletes.length} objects, more than the cap of ${options.maxDeletes}; nothing was changed`, {
      hint: `check the folder and prefix; if the deletes are intended, run again with --max-deletes ${plan.deletes.length}`,
    });
  }
}
