/**
 * A publish's requests to its bucket, each sent the cheapest way that works. The objects fleuron reads, writes and
 * deletes itself (lock, manifest, small uploads, deletes) go as signed requests with node:http (early-get.ts); the
 * rest (multipart uploads, copies, website configuration) through the AWS SDK's S3 client. The client, and the SDK
 * with it, is made only when first needed: loading the SDK takes ~0.2 s of the main thread (sdk.ts), and a publish
 * that finds nothing to change, or only small files to upload and objects to delete, never needs it.
 *
 * A signed request answered with anything but its plain success (an error status, a network error, a timeout, an
 * answer the scanner cannot read) is sent again through the client, which retries with backoff and describes errors
 * as for any request: both attempts are counted. Without an endpoint and keys every request goes through the client
 * (it finds AWS, or credentials in a profile).
 */
import type { PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { escapeMarkup } from '../text/escape.js';
import type { S3ClientOptions } from './client.js';
import { earlyTargetOf, signedRequest, type EarlyTarget } from './early-get.js';
import type { S3Endpoint } from './endpoint.js';
import { normalizeEtag } from './object-keys.js';
import { readObjectBytes, utf8Text } from './read-text-object.js';
import { RequestCounter } from './request-counter.js';
import { s3Sdk } from './sdk.js';
import { smallPutter, type SmallPutter } from './signed-put.js';
import { scannable, textBetween } from './xml-text.js';

/** A PutObject of a body held in memory, in the SDK's names. */
export type PutInput = Pick<
  PutObjectCommandInput,
  'Bucket' | 'Key' | 'ContentType' | 'CacheControl' | 'ContentEncoding' | 'ContentDisposition' | 'ContentLanguage' | 'WebsiteRedirectLocation' | 'Metadata' | 'ContentMD5'
> & { Bucket: string; Key: string; Body: Buffer };

/** One key DeleteObjects did not delete, with the server's code and message. */
export interface KeyDeleteError {
  key: string;
  code?: string;
  message?: string;
}

/** The header fields a PutObject writes for its input, lower-case names, as the SDK writes them. */
export function putHeaderFields(input: Omit<PutInput, 'Bucket' | 'Key' | 'Body'>): Record<string, string> {
  const fields: Record<string, string> = {};
  if (input.ContentType) fields['content-type'] = input.ContentType;
  if (input.CacheControl) fields['cache-control'] = input.CacheControl;
  if (input.ContentEncoding) fields['content-encoding'] = input.ContentEncoding;
  if (input.ContentDisposition) fields['content-disposition'] = input.ContentDisposition;
  if (input.ContentLanguage) fields['content-language'] = input.ContentLanguage;
  if (input.WebsiteRedirectLocation) fields['x-amz-website-redirect-location'] = input.WebsiteRedirectLocation;
  for (const [name, value] of Object.entries(input.Metadata ?? {})) fields[`x-amz-meta-${name.toLowerCase()}`] = value;
  if (input.ContentMD5) fields['content-md5'] = input.ContentMD5;
  return fields;
}

export class S3Requests {
  readonly counter: RequestCounter;
  readonly #target: EarlyTarget | undefined;
  readonly #smallPut: SmallPutter | undefined;
  readonly #makeClient: () => Promise<S3Client>;
  #client: Promise<S3Client> | undefined;

  /** Requests to `endpoint`; the client, when one is needed, is made with `options`. */
  constructor(endpoint: S3Endpoint, options: S3ClientOptions = {}) {
    this.counter = options.counter ?? new RequestCounter();
    this.#target = earlyTargetOf(endpoint);
    this.#smallPut = this.#target && smallPutter(this.#target, this.counter);
    const clientOptions = { ...options, counter: this.counter };
    this.#makeClient = () => import('./client.js').then(({ createS3Connection }) => createS3Connection(endpoint, clientOptions).client);
  }

  /** Every request through a client made already (history, rollback, tests): nothing signed apart, nothing made. */
  static over(client: S3Client, counter = new RequestCounter()): S3Requests {
    const requests = new S3Requests({ region: '', forcePathStyle: true }, { counter });
    requests.#client = Promise.resolve(client);
    return requests;
  }

  /** The S3 client, made (and the SDK loaded) the first time. */
  client(): Promise<S3Client> {
    return (this.#client ??= this.#makeClient());
  }

  /** Stores a body held in memory; resolves to its ETag (bare, lower case; '' when the server gave none). */
  async putObject(input: PutInput): Promise<string> {
    const { Bucket, Key, Body, ...headers } = input;
    const etag = await this.#smallPut?.({ bucket: Bucket, key: Key, body: Body, headers: putHeaderFields(headers) });
    if (etag !== undefined) return etag;
    const { PutObjectCommand } = await s3Sdk();
    // A Buffer, not a stream: Garage refuses the aws-chunked encoding the SDK uses for streams.
    const response = await (await this.client()).send(new PutObjectCommand(input));
    return normalizeEtag(response.ETag);
  }

  /** The stored bytes of a small object (a Content-Encoding is not undone), or undefined when it does not exist. */
  async readObject(bucket: string, key: string): Promise<Uint8Array | undefined> {
    if (this.#target) {
      this.counter.add('GetObject');
      const response = await signedRequest(this.#target, { method: 'GET', bucket, key }, undefined, 30_000);
      if (response?.status === 200) return response.body;
      if (response?.status === 404 && response.body.includes('NoSuchKey')) return undefined;
    }
    return readObjectBytes(await this.client(), bucket, key);
  }

  async readText(bucket: string, key: string): Promise<string | undefined> {
    return utf8Text(await this.readObject(bucket, key));
  }

  /** Deletes one object (gone already is done too). */
  async deleteObject(bucket: string, key: string): Promise<void> {
    if (this.#target) {
      this.counter.add('DeleteObject');
      const response = await signedRequest(this.#target, { method: 'DELETE', bucket, key }, undefined, 30_000);
      if (response?.status === 204 || response?.status === 200) return;
    }
    const { DeleteObjectCommand } = await s3Sdk();
    await (await this.client()).send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  /** One DeleteObjects request (at most 1,000 keys XML can carry); resolves to the keys it did not delete. */
  async deleteObjects(bucket: string, keys: readonly string[]): Promise<KeyDeleteError[]> {
    if (this.#target) {
      const body = Buffer.from(deleteRequestXml(keys));
      this.counter.add('DeleteObjects');
      const headers = { 'content-type': 'application/xml', 'content-md5': createHash('md5').update(body).digest('base64') };
      const response = await signedRequest(this.#target, { method: 'POST', bucket, query: { delete: '' }, headers, body }, undefined, 60_000);
      const errors = response?.status === 200 ? scanDeleteResult(response.body.toString('utf8')) : undefined;
      if (errors) return errors;
    }
    const { DeleteObjectsCommand } = await s3Sdk();
    const response = await (await this.client()).send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
    return (response.Errors ?? []).map((error) => ({ key: error.Key ?? '', ...(error.Code ? { code: error.Code } : {}), ...(error.Message ? { message: error.Message } : {}) }));
  }

  /** Closes the client's connections, if it was made. */
  destroy(): void {
    void this.#client?.then(
      (client) => client.destroy(),
      () => {},
    );
  }
}

/** The body of a quiet DeleteObjects request. */
export function deleteRequestXml(keys: readonly string[]): string {
  const objects = keys.map((key) => `<Object><Key>${escapeMarkup(key)}</Key></Object>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${objects}<Quiet>true</Quiet></Delete>`;
}

/**
 * The errors of a DeleteObjects answer, or undefined when the scanner cannot read it (the caller sends the request
 * again through the SDK, whose parser can: deleting the same keys twice is harmless).
 */
export function scanDeleteResult(xml: string): KeyDeleteError[] | undefined {
  if (!xml.includes('<DeleteResult') || !scannable(xml)) return undefined;
  const errors: KeyDeleteError[] = [];
  for (let start = xml.indexOf('<Error>'); start !== -1; start = xml.indexOf('<Error>', start + 7)) {
    const end = xml.indexOf('</Error>', start);
    if (end === -1) return undefined;
    const key = textBetween(xml, '<Key>', '</Key>', start, end);
    if (key === undefined) return undefined;
    const code = textBetween(xml, '<Code>', '</Code>', start, end);
    const message = textBetween(xml, '<Message>', '</Message>', start, end);
    errors.push({ key, ...(code ? { code } : {}), ...(message ? { message } : {}) });
    start = end;
  }
  return errors;
}
