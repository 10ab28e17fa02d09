/**
 * Deletes keys from a bucket: DeleteObjects in batches of 1,000 (the S3 maximum), each key's own error checked, and
 * keys that XML cannot carry deleted one by one, so that one odd name never blocks every other delete.
 */
import { keyFitsXml } from './object-keys.js';
import type { S3Requests } from './s3-requests.js';

export const DELETE_BATCH = 1000;

export interface KeyDeleteFailure {
  key: string;
  error: unknown;
}

export interface DeleteKeysResult {
  deleted: string[];
  failures: KeyDeleteFailure[];
}

export interface DeleteKeysOptions {
  /** Told of each key once the server confirmed it is gone. */
  onDeleted?: (key: string) => void;
  /** Stop at the first failed request (a failed batch fails all of its keys). Default true. */
  stopOnFailure?: boolean;
}

/** The per-key error of a DeleteObjects answer, as an Error with the S3 code as its name. */
function keyError(code: string | undefined, message: string | undefined): Error {
  return Object.assign(new Error(message ?? 'delete failed'), { name: code ?? 'DeleteFailed', Code: code });
}

export async function deleteKeys(requests: S3Requests, bucket: string, keys: readonly string[], options: DeleteKeysOptions = {}): Promise<DeleteKeysResult> {
  const result: DeleteKeysResult = { deleted: [], failures: [] };
  const stop = options.stopOnFailure !== false;
  const done = (key: string) => {
    result.deleted.push(key);
    options.onDeleted?.(key);
  };
  const batchable = keys.filter(keyFitsXml);
  const single = keys.filter((key) => !keyFitsXml(key));
  for (let start = 0; start < batchable.length; start += DELETE_BATCH) {
    const batch = batchable.slice(start, start + DELETE_BATCH);
    try {
      const failed = new Map((await requests.deleteObjects(bucket, batch)).map((error) => [error.key, error]));
      for (const key of batch) {
        const error = failed.get(key);
        if (error) result.failures.push({ key, error: keyError(error.code, error.message) });
        else done(key);
      }
    } catch (error) {
      for (const key of batch) result.failures.push({ key, error });
    }
    if (stop && result.failures.length > 0) return result;
  }
  for (const key of single) {
    try {
      await requests.deleteObject(bucket, key);
      done(key);
    } catch (error) {
      result.failures.push({ key, error });
      if (stop) return result;
    }
  }
  return result;
}
