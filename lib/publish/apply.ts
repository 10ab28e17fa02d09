/**
 * Applies a plan to the bucket: assets, then pages, then header updates, then the manifest with the
 * deletes — and no delete at all if anything before them failed, so a failed publish never removes
 * a page that a live page may still link to.
 */
import { createReadStream } from 'node:fs';
import pMap from 'p-map';
import { FleuronError } from '../errors/fleuron-error.js';
import type { BandwidthLimit } from './bandwidth-limit.js';
import { md5Hex, PART_SIZE, readSmallBody } from './body-hash.js';
import { deleteKeys } from '../s3/delete-keys.js';
import { MANIFEST_OBJECT, manifestBody, manifestKey } from './manifest.js';
import { storedHeaderParams } from './object-params.js';
import type { S3Requests } from '../s3/s3-requests.js';
import { s3Sdk, storageSdk } from '../s3/sdk.js';
import { manifestEntryFor } from './plan.js';
import { copySourceOf, normalizeEtag } from '../s3/object-keys.js';
import { isPage } from './page-keys.js';
import { MANIFEST_NAME, stateKey } from './state-keys.js';
import type { Action, HeaderUpdateAction, LocalFile, Manifest, Plan, UploadAction } from './types.js';

export type ApplyEvent =
  | { type: 'action-done'; action: Action; bytes: number }
  | { type: 'phase'; phase: 'uploads' | 'pages' | 'headers' | 'manifest' | 'deletes' };

export interface ApplyOptions {
  /** Signed requests where they do, the S3 client (made on first use) for the rest. */
  requests: S3Requests;
  bucket: string;
  prefix: string;
  concurrency: number;
  /** The manifest read before planning: kept for actions that fail. */
  previousManifest: Manifest;
  bandwidth?: BandwidthLimit;
  onEvent?: (event: ApplyEvent) => void;
  /**
   * Asked before the deletes, the only step that cannot be redone, while the manifest is written: an error skips them
   * all (and is a failure).
   */
  beforeDeletes?: () => Promise<void>;
  /** The stored bytes of the plan's manifest, prepared meanwhile (prepareManifestBody): written if the apply leaves it so. */
  plannedManifestBody?: Promise<Buffer>;
  /** Uploads started during the scan (early-uploads.ts), stopped: each of those files is waited for, not sent again. */
  early?: { uploadOf(file: LocalFile): Promise<string> | undefined };
}

/** What one upload needs. */
export type UploadOptions = Pick<ApplyOptions, 'requests' | 'bucket' | 'bandwidth'>;

export interface ActionFailure {
  key: string;
  error: unknown;
}

export interface ApplyResult {
  uploaded: number;
  headersUpdated: number;
  deleted: number;
  bytesUploaded: number;
  /** Of `uploaded`, those that went up during the scan (early-uploads.ts). */
  uploadedDuringScan: number;
  failures: ActionFailure[];
  /** The manifest that was written (or would have been, had writing it failed). */
  manifest: Manifest;
}

/**
 * Applies the plan in its order, each step skipped once one has failed; deletes only after every other step succeeded.
 * The waits between steps are the guarantees: pages only once the assets they name are there, the manifest only once
 * it can vouch for what was uploaded, deletes only once every upload is in. The manifest and the deletes go side by
 * side, a round trip less than one after the other: a manifest that fails to be written is harmless for the site (the
 * next publish re-sets the headers it cannot vouch for), so it need not hold the deletes back; it is still a failure
 * the publish reports. Within a step, `concurrency` requests at once (16 by default: more
 * than rclone's 4 transfers, hugo deploy's 10 workers or the AWS CLI's 10 requests, because small files are latency-
 * bound; not many more, because the bucket is a collective's shared Garage, whose other users feel every request).
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const run = new ApplyRun(plan, options);
  const pages = plan.uploads.filter((action) => isPage(action.key));
  const assets = plan.uploads.filter((action) => !isPage(action.key));
  await run.step('uploads', assets, (action) => run.upload(action));
  await run.step('pages', pages, (action) => run.upload(action));
  await run.step('headers', plan.headerUpdates, (action) => run.updateHeaders(action));
  await Promise.all([run.writeManifest(), run.deleteAll(run.checkBeforeDeletes())]);
  return run.result;
}

/** The state of one apply: what was done, what failed, and the manifest as it will be written. */
class ApplyRun {
  readonly result: ApplyResult;
  /**
   * Where the manifest to write differs from the plan's (a failure keeps the previous entry, undefined: none; an ETag
   * other than expected), by manifestKey. Kept apart rather than in a copy of every entry: copying 10,000 entries
   * took 37 ms of the main thread (busy machine) before the first upload.
   */
  private readonly offPlan = new Map<string, Manifest['objects'][string] | undefined>();
  private readonly emit: (event: ApplyEvent) => void;

  constructor(
    private readonly plan: Plan,
    private readonly options: ApplyOptions,
  ) {
    this.result = { uploaded: 0, headersUpdated: 0, deleted: 0, bytesUploaded: 0, uploadedDuringScan: 0, failures: [], manifest: plan.manifest };
    this.emit = options.onEvent ?? (() => {});
  }

  /**
   * Runs a step's actions. Once one action has failed, no new one starts: the run stops quickly and nothing is
   * deleted. p-map takes actions lazily, so 100,000 uploads do not mean 100,000 pending promises.
   */
  async step<A extends Action>(phase: 'uploads' | 'pages' | 'headers', actions: A[], act: (action: A) => Promise<number>): Promise<void> {
    this.emit({ type: 'phase', phase });
    await pMap(
      actions,
      async (action) => {
        // An upload started during the scan is not stopped by a failure: it is waited for, and counted if it succeeds.
        if (this.result.failures.length > 0 && !this.startedEarly(action)) return this.restoreEntry(action.key);
        try {
          const bytes = await act(action);
          this.emit({ type: 'action-done', action, bytes });
        } catch (error) {
          this.result.failures.push({ key: action.key, error });
          this.restoreEntry(action.key);
        }
      },
      { concurrency: this.options.concurrency },
    );
  }

  private startedEarly(action: Action): boolean {
    return action.kind === 'upload' && this.options.early?.uploadOf(action.file) !== undefined;
  }

  async upload(action: UploadAction): Promise<number> {
    const early = this.options.early?.uploadOf(action.file);
    const etag = await (early ?? uploadObject(action.file, this.options));
    if (early) this.result.uploadedDuringScan++;
    // The plan already holds the entry for the expected ETag: a second object per upload adds up at 100,000.
    const key = manifestKey(action.key);
    if (this.entry(key)?.etag !== etag) this.setEntry(key, manifestEntryFor(action.file, etag));
    this.result.uploaded++;
    this.result.bytesUploaded += action.file.size;
    return action.file.size;
  }

  async updateHeaders(action: HeaderUpdateAction): Promise<number> {
    const etag = await updateHeaders(action, this.options);
    if (etag) this.setEntry(manifestKey(action.key), manifestEntryFor(action.file, etag));
    this.result.headersUpdated++;
    return 0;
  }

  private entry(key: string): Manifest['objects'][string] | undefined {
    return this.offPlan.has(key) ? this.offPlan.get(key) : this.plan.manifest.objects[key];
  }

  private setEntry(key: string, entry: Manifest['objects'][string] | undefined): void {
    const planned = this.plan.manifest.objects[key];
    const same = planned === entry || (planned && entry && planned.etag === entry.etag && planned.headers === entry.headers && planned.md5 === entry.md5);
    if (same) this.offPlan.delete(key);
    else this.offPlan.set(key, entry);
  }

  /** A failed action keeps what the previous manifest said of its object. */
  private restoreEntry(key: string): void {
    const hashed = manifestKey(key);
    this.setEntry(hashed, this.options.previousManifest.objects[hashed]);
  }

  /** The plan's manifest with what the apply changed in it. */
  private manifestToWrite(): Manifest {
    if (this.offPlan.size === 0) return this.plan.manifest;
    const objects = { ...this.plan.manifest.objects };
    for (const [key, entry] of this.offPlan) {
      if (entry) objects[key] = entry;
      else delete objects[key];
    }
    return { ...this.plan.manifest, objects };
  }

  async writeManifest(): Promise<void> {
    const { result, options } = this;
    result.manifest = this.manifestToWrite();
    if (!this.plan.manifestChanged && result.uploaded + result.headersUpdated === 0) return;
    this.emit({ type: 'phase', phase: 'manifest' });
    try {
      const planned = this.offPlan.size > 0 ? undefined : await options.plannedManifestBody?.catch(() => undefined);
      const body = planned ?? manifestBody(result.manifest);
      await options.requests.putObject({ Bucket: options.bucket, Key: stateKey(options.prefix, MANIFEST_NAME), Body: body, ...MANIFEST_OBJECT });
    } catch (error) {
      // Harmless for the site: the next publish re-sets headers it cannot vouch for.
      if (result.failures.length === 0) result.failures.push({ key: stateKey(options.prefix, MANIFEST_NAME), error });
    }
  }

  /**
   * beforeDeletes, asked while the manifest is written; resolves to its
   * error. Undefined when nothing is to be deleted or something already failed.
   */
  checkBeforeDeletes(): Promise<unknown> | undefined {
    const { result, options, plan } = this;
    if (result.failures.length > 0 || plan.deletes.length === 0 || !options.beforeDeletes) return undefined;
    return options.beforeDeletes().then(
      () => undefined,
      (error: unknown) => error ?? new Error('the check before the deletes failed'),
    );
  }

  /** The deletes, once every upload succeeded and the check before them passed (beside the manifest's write). */
  async deleteAll(check: Promise<unknown> | undefined): Promise<void> {
    const { result, options, plan } = this;
    if (result.failures.length > 0 || plan.deletes.length === 0) return;
    const refused = await check;
    if (refused) {
      result.failures.push({ key: `${plan.deletes.length} deletes`, error: refused });
      return;
    }
    this.emit({ type: 'phase', phase: 'deletes' });
    const byKey = new Map(plan.deletes.map((action) => [action.key, action]));
    const outcome = await deleteKeys(options.requests, options.bucket, [...byKey.keys()], {
      onDeleted: (key) => this.emit({ type: 'action-done', action: byKey.get(key)!, bytes: 0 }),
    });
    result.deleted += outcome.deleted.length;
    result.failures.push(...outcome.failures);
  }
}

/** Uploads one body and returns the ETag the server gave it (or the one we expect, when it gives none). */
export async function uploadObject(file: LocalFile, options: UploadOptions): Promise<string> {
  const params = { Bucket: options.bucket, Key: file.key, ...storedHeaderParams(file.headers) };
  if (file.multipartEtag === undefined) {
    const body = file.source.kind === 'bytes' ? file.source.body : await readSmallBody(file.source.path, file.source.gzip);
    if (md5Hex(body) !== file.md5) {
      throw new FleuronError('file-changed', `${file.key} changed on disk while publishing`, { hint: 'run the publish again once the folder stops changing' });
    }
    await options.bandwidth?.take(body.length);
    return (await options.requests.putObject({ ...params, Body: body, ContentMD5: Buffer.from(file.md5, 'hex').toString('base64') })) || file.md5;
  }
  if (file.source.kind !== 'file') throw new Error(`multipart upload needs a file source (${file.key})`);
  const [{ Upload }, { HeadObjectCommand }, client] = await Promise.all([storageSdk(), s3Sdk(), options.requests.client()]);
  const stream = createReadStream(file.source.path, { highWaterMark: 1024 * 1024 });
  const body = options.bandwidth ? stream.pipe(options.bandwidth.stream()) : stream;
  // lib-storage cuts the stream into Buffer parts and aborts the multipart upload if any part fails.
  const upload = new Upload({ client, params: { ...params, Body: body }, partSize: PART_SIZE, queueSize: 4, leavePartsOnError: false });
  try {
    const response = await upload.done();
    return normalizeEtag(response.ETag) || file.multipartEtag;
  } catch (error) {
    // A connection dropped during CompleteMultipartUpload: the server may have finished the
    // object, and retrying the completion then fails. If the object is there, whole, it counts.
    const stored = await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: file.key })).catch(() => undefined);
    const etag = normalizeEtag(stored?.ETag);
    if (stored && stored.ContentLength === file.size && (etag === file.multipartEtag || etag === file.md5)) return etag;
    throw error;
  } finally {
    stream.destroy();
  }
}

/** Rewrites an object's headers in place with a server-side copy: the body is not sent again. */
async function updateHeaders(action: HeaderUpdateAction, options: ApplyOptions): Promise<string | undefined> {
  const [{ CopyObjectCommand }, client] = await Promise.all([s3Sdk(), options.requests.client()]);
  const response = await client.send(
    new CopyObjectCommand({
      Bucket: options.bucket,
      Key: action.key,
      CopySource: copySourceOf(options.bucket, action.key),
      MetadataDirective: 'REPLACE',
      ...storedHeaderParams(action.file.headers),
    }),
  );
  return normalizeEtag(response.CopyObjectResult?.ETag) || undefined;
}
