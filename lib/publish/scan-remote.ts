/** Lists what the bucket holds under the prefix, and reads fleuron's own records there. */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { RemoteObject } from './types.js';

/** fleuron's own objects live under `<prefix>.fleuron/`: never planned as site content. */
export const STATE_FOLDER = '.fleuron/';

export function stateKey(prefix: string, name: string): string {
  return `${prefix}${STATE_FOLDER}${name}`;
}

export interface RemoteScan {
  /** Site objects, keyed by object key (listing order is not to be trusted). */
  objects: Map<string, RemoteObject>;
  /** fleuron's own objects under `.fleuron/`. */
  state: Map<string, RemoteObject>;
}

/** ETags come quoted and sometimes upper-case; compare them bare and lower-case. */
export function normalizeEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/"/g, '').toLowerCase();
}

export async function scanRemote(client: S3Client, bucket: string, prefix: string): Promise<RemoteScan> {
  const objects = new Map<string, RemoteObject>();
  const state = new Map<string, RemoteObject>();
  const stateFolder = prefix + STATE_FOLDER;
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token, MaxKeys: 1000 }),
    );
    for (const item of page.Contents ?? []) {
      if (item.Key === undefined) continue;
      const object: RemoteObject = { key: item.Key, size: item.Size ?? 0, etag: normalizeEtag(item.ETag) };
      (item.Key.startsWith(stateFolder) ? state : objects).set(item.Key, object);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { objects, state };
}

const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * The body of a small object as text, or undefined when it does not exist. The SDK retries the
 * request, not the reading of the body: a connection dropped mid-body is retried here.
 */
export async function readTextObject(client: S3Client, bucket: string, key: string, attempts = 4): Promise<string | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await response.Body?.transformToString('utf8');
    } catch (error) {
      const { name, code } = error as { name?: string; code?: string };
      if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
      const network = NETWORK_CODES.has(code ?? '') || name === 'AbortError' || /aborted|socket hang up/i.test((error as Error).message ?? '');
      if (!network || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * 2 ** attempt));
    }
  }
}
