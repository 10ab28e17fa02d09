/**
 * Applies a plan to the bucket: assets, then pages, then header updates, then the manifest, and
 * deletes last — and no delete at all if anything before failed, so a failed publish never removes
 * a page that a live page may still link to.
 */
import { CopyObjectCommand, DeleteObjectsCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream } from 'node:fs';
import pMap from 'p-map';
import { FleuronError } from '../errors/fleuron-error.js';
import type { BandwidthLimit } from './bandwidth-limit.js';
import { md5Hex, PART_SIZE, readSmallBody } from './body-hash.js';
import { manifestBody, MANIFEST_NAME } from './manifest.js';
import { copySourceOf, storedHeaderParams } from './object-params.js';
import { manifestEntryFor } from './plan.js';
import { normalizeEtag, stateKey } from './scan-remote.js';
import type { Action, DeleteAction, HeaderUpdateAction, LocalFile, Manifest, Plan, UploadAction } from './types.js';

export type ApplyEvent =
  | { type: 'action-done'; action: Action; bytes: number }
  | { type: 'phase'; phase: 'uploads' | 'pages' | 'headers' | 'manifest' | 'deletes' };

export interface ApplyOptions {
  client: S3Client;
  bucket: string;
  prefix: string;
  concurrency: number;
  /** The manifest read before planning: kept for actions that fail. */
  previousManifest: Manifest;
  bandwidth?: BandwidthLimit;
  onEvent?: (event: ApplyEvent) => void;
  /** Asked right before the deletes, the only step that cannot be redone: an error skips them all (and is a failure). */
  beforeDeletes?: () => Promise<void>;
}

export interface ActionFailure {
  key: string;
  error: unknown;
}

export interface ApplyResult {
  uploaded: number;
  headersUpdated: number;
  deleted: number;
  bytesUploaded: number;
  failures: ActionFailure[];
  /** The manifest that was written (or would have been, had writing it failed). */
  manifest: Manifest;
}

export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const result: ApplyResult = { uploaded: 0, headersUpdated: 0, deleted: 0, bytesUploaded: 0, failures: [], manifest: plan.manifest };
  const objects = { ...plan.manifest.objects };
  const emit = options.onEvent ?? (() => {});
  // Once one action has failed, no new one starts: the run stops quickly and nothing is deleted.
  // p-map takes actions lazily, so 100,000 uploads do not mean 100,000 pending promises.
  const runAll = async <A extends Action>(actions: A[], run: (action: A) => Promise<number>) => {
    await pMap(
      actions,
      async (action) => {
        if (result.failures.length > 0) {
          restoreEntry(objects, options.previousManifest, action.key);
          return;
        }
        try {
          const bytes = await run(action);
          emit({ type: 'action-done', action, bytes });
        } catch (error) {
          result.failures.push({ key: action.key, error });
          restoreEntry(objects, options.previousManifest, action.key);
        }
      },
      { concurrency: options.concurrency },
    );
  };

  const upload = async (action: UploadAction) => {
    const etag = await uploadObject(action.file, options);
    // The plan already holds the entry for the expected ETag: a second object per upload adds up at 100,000.
    if (objects[action.key]?.etag !== etag) objects[action.key] = manifestEntryFor(action.file, etag);
    result.uploaded++;
    result.bytesUploaded += action.file.size;
    return action.file.size;
  };
  const pages = plan.uploads.filter((action) => /\.html?$/i.test(action.key));
  const assets = plan.uploads.filter((action) => !/\.html?$/i.test(action.key));
  emit({ type: 'phase', phase: 'uploads' });
  await runAll(assets, upload);
  emit({ type: 'phase', phase: 'pages' });
  await runAll(pages, upload);

  emit({ type: 'phase', phase: 'headers' });
  await runAll(plan.headerUpdates, async (action: HeaderUpdateAction) => {
    const etag = await updateHeaders(action, options);
    if (etag) objects[action.key] = manifestEntryFor(action.file, etag);
    result.headersUpdated++;
    return 0;
  });

  result.manifest = { ...plan.manifest, objects };
  if (plan.manifestChanged || result.uploaded + result.headersUpdated > 0) {
    emit({ type: 'phase', phase: 'manifest' });
    try {
      await options.client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: stateKey(options.prefix, MANIFEST_NAME),
          Body: manifestBody(result.manifest),
          ContentType: 'application/json; charset=utf-8',
          CacheControl: 'no-store',
        }),
      );
    } catch (error) {
      // Harmless for the site: the next publish re-sets headers it cannot vouch for.
      if (result.failures.length === 0) result.failures.push({ key: stateKey(options.prefix, MANIFEST_NAME), error });
    }
  }

  if (result.failures.length === 0 && plan.deletes.length > 0) {
    try {
      await options.beforeDeletes?.();
    } catch (error) {
      result.failures.push({ key: `${plan.deletes.length} deletes`, error });
      return result;
    }
    emit({ type: 'phase', phase: 'deletes' });
    await deleteAll(plan.deletes, options, result, emit);
  }
  return result;
}

function restoreEntry(objects: Record<string, Manifest['objects'][string]>, previous: Manifest, key: string): void {
  const old = previous.objects[key];
  if (old) objects[key] = old;
  else delete objects[key];
}

/** Uploads one body and returns the ETag the server gave it (or the one we expect, when it gives none). */
async function uploadObject(file: LocalFile, options: ApplyOptions): Promise<string> {
  const params = { Bucket: options.bucket, Key: file.key, ...storedHeaderParams(file.headers) };
  if (file.multipartEtag === undefined) {
    const body = file.source.kind === 'bytes' ? file.source.body : await readSmallBody(file.source.path, file.source.gzip);
    if (md5Hex(body) !== file.md5) {
      throw new FleuronError('file-changed', `${file.key} changed on disk while publishing`, { hint: 'run the publish again once the folder stops changing' });
    }
    await options.bandwidth?.take(body.length);
    // A Buffer, not a stream: Garage refuses the aws-chunked encoding the SDK uses for streams.
    const response = await options.client.send(
      new PutObjectCommand({ ...params, Body: body, ContentMD5: Buffer.from(file.md5, 'hex').toString('base64') }),
    );
    return normalizeEtag(response.ETag) || file.md5;
  }
  if (file.source.kind !== 'file') throw new Error(`multipart upload needs a file source (${file.key})`);
  const stream = createReadStream(file.source.path, { highWaterMark: 1024 * 1024 });
  const body = options.bandwidth ? stream.pipe(options.bandwidth.stream()) : stream;
  // lib-storage cuts the stream into Buffer parts and aborts the multipart upload if any part fails.
  const upload = new Upload({ client: options.client, params: { ...params, Body: body }, partSize: PART_SIZE, queueSize: 4, leavePartsOnError: false });
  try {
    const response = await upload.done();
    return normalizeEtag(response.ETag) || file.multipartEtag;
  } catch (error) {
    // A connection dropped during CompleteMultipartUpload: the server may have finished the
    // object, and retrying the completion then fails. If the object is there, whole, it counts.
    const stored = await options.client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: file.key })).catch(() => undefined);
    const etag = normalizeEtag(stored?.ETag);
    if (stored && stored.ContentLength === file.size && (etag === file.multipartEtag || etag === file.md5)) return etag;
    throw error;
  } finally {
    stream.destroy();
  }
}

/** Rewrites an object's headers in place with a server-side copy: the body is not sent again. */
async function updateHeaders(action: HeaderUpdateAction, options: ApplyOptions): Promise<string | undefined> {
  const response = await options.client.send(
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

async function deleteAll(deletes: DeleteAction[], options: ApplyOptions, result: ApplyResult, emit: (event: ApplyEvent) => void) {
  for (let start = 0; start < deletes.length; start += 1000) {
    const batch = deletes.slice(start, start + 1000);
    try {
      const response = await options.client.send(
        new DeleteObjectsCommand({ Bucket: options.bucket, Delete: { Objects: batch.map((action) => ({ Key: action.key })), Quiet: true } }),
      );
      const failed = new Map((response.Errors ?? []).map((error) => [error.Key, error]));
      for (const action of batch) {
        const error = failed.get(action.key);
        if (error) {
          result.failures.push({ key: action.key, error: Object.assign(new Error(error.Message ?? 'delete failed'), { name: error.Code ?? 'DeleteFailed' }) });
        } else {
          result.deleted++;
          emit({ type: 'action-done', action, bytes: 0 });
        }
      }
    } catch (error) {
      for (const action of batch) result.failures.push({ key: action.key, error });
      return;
    }
  }
}
