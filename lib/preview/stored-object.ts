/**
 * An object as the bucket would store it after a publish: the body (gzip-compressed when the header
 * rules say so), its ETag (MD5 of that body, or the multipart ETag for large files), Last-Modified,
 * and the headers from the publisher's rules.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { CompiledHeaderPolicy } from '../headers/header-rules.js';
import type { ObjectHeaders } from '../headers/object-headers.js';
import { deterministicGzip, hashFileBody, md5Hex, MULTIPART_THRESHOLD, readSmallBody } from '../publish/body-hash.js';

export interface StoredObject {
  key: string;
  headers: ObjectHeaders;
  /** Quoted, as sent in the `ETag` header. */
  etag: string;
  lastModified: Date;
  size: number;
  /** The whole body for files up to the multipart threshold; larger ones are streamed from `path`. */
  body?: Buffer;
  path: string;
}

/** Opens the body of a large object, whole or one inclusive byte range. */
export function streamBody(object: StoredObject, range?: { start: number; end: number }): Readable {
  return createReadStream(object.path, range ? { start: range.start, end: range.end } : {});
}

/**
 * Reads stored objects, keeping the last result per file until its size or mtime changes (a rebuild
 * rewrites only changed files). `transform` may rewrite an HTML body before it is compressed (the
 * preview's reload script); its `tag` is part of the cache key.
 */
export class StoredObjectReader {
  readonly #policy: CompiledHeaderPolicy;
  readonly #cache = new Map<string, { stamp: string; object: StoredObject }>();

  constructor(policy: CompiledHeaderPolicy) {
    this.#policy = policy;
  }

  async read(key: string, file: string, transform?: { tag: string; apply: (body: Buffer, headers: ObjectHeaders) => Buffer }): Promise<StoredObject> {
    const info = await stat(file);
    const headers = this.#policy.headersFor(key);
    const gzip = this.#policy.gzipFor(key);
    const stamp = `${info.size}:${info.mtimeMs}:${transform?.tag ?? ''}`;
    const cached = this.#cache.get(key);
    if (cached && cached.stamp === stamp && cached.object.path === file) return cached.object;

    const lastModified = new Date(Math.floor(info.mtimeMs / 1000) * 1000);
    let object: StoredObject;
    if (info.size > MULTIPART_THRESHOLD) {
      // Uploaded in parts and never gzipped by the publisher, so no Content-Encoding either.
      const plain = { ...headers };
      delete plain.contentEncoding;
      const hash = await hashFileBody(file, false);
      object = { key, headers: plain, etag: `"${hash.multipartEtag ?? hash.md5}"`, lastModified, size: info.size, path: file };
    } else {
      let body = await readSmallBody(file, false);
      if (transform) body = transform.apply(body, headers);
      if (gzip) body = deterministicGzip(body);
      object = { key, headers, etag: `"${md5Hex(body)}"`, lastModified, size: body.length, body, path: file };
    }
    this.#cache.set(key, { stamp, object });
    return object;
  }
}
