/**
 * AWS Signature Version 4 for the requests fleuron sends without the S3 client (early-get.ts): the canonical request,
 * the string to sign and the Authorization header, as the SDK's signer (`@smithy/signature-v4`) makes them for S3
 * (paths signed as given, the payload's SHA-256 in `x-amz-content-sha256`).
 *
 * Hand-written, for a measured reason: `@smithy/signature-v4` imports `@smithy/core`'s protocol modules, two bundle
 * chunks of 428 KB; with them, importing the module that sends a publish's first request took 61-65 ms of the ~170 ms
 * fleuron spent before that request (Node 20, the 2-core machine), with this file 22-25 ms. The algorithm is
 * AWS's published one; __tests__/s3/sigv4.test.ts checks every header this file makes against that signer's for the
 * same requests, and the real-S3 suite sends them to Ceph RGW, which verifies every signature. A request signed
 * wrongly would be refused and sent again through the S3 client (early-get.ts): slower, never wrong.
 */
import { createHash, createHmac } from 'node:crypto';
import type { S3Credentials } from './endpoint.js';

/** A request to sign: its path already encoded as it is sent, its header names in lower case (`host` among them). */
export interface RequestToSign {
  method: string;
  path: string;
  query: Readonly<Record<string, string>>;
  headers: Readonly<Record<string, string>>;
  body?: Buffer;
}

/** Headers a proxy may add or change on the way, never signed (the SDK's list). */
const UNSIGNABLE = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** RFC 3986 encoding, as SigV4 encodes query names and values: encodeURIComponent leaves !'()* alone. */
export const uriEscape = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** Signs for one key and region; the day's signing key (four HMACs) is derived once a day. */
export class SigV4Signer {
  #day = '';
  #key: Buffer = Buffer.alloc(0);

  constructor(
    private readonly credentials: S3Credentials,
    private readonly region: string,
    private readonly service = 's3',
  ) {}

  /**
   * The headers to send (the request's own, with `x-amz-date`, `x-amz-content-sha256`, the session token if any, and
   * `authorization`) and the query as signed, encoded and sorted: the URL's query string too.
   */
  sign(request: RequestToSign, now = new Date()): { headers: Record<string, string>; query: string } {
    const longDate = now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
    const day = longDate.slice(0, 8);
    const scope = `${day}/${this.region}/${this.service}/aws4_request`;
    const headers: Record<string, string> = { ...request.headers, 'x-amz-date': longDate };
    if (this.credentials.sessionToken) headers['x-amz-security-token'] = this.credentials.sessionToken;
    const payloadHash = headers['x-amz-content-sha256'] ?? (request.body === undefined ? EMPTY_SHA256 : sha256Hex(request.body));
    headers['x-amz-content-sha256'] = payloadHash;

    const signed = Object.keys(headers)
      .filter((name) => !UNSIGNABLE.has(name) && !name.startsWith('proxy-') && !name.startsWith('sec-'))
      .sort();
    const canonicalHeaders = signed.map((name) => `${name}:${canonicalValue(headers[name]!)}\n`).join('');
    const canonicalQuery = Object.keys(request.query)
      .filter((name) => name.toLowerCase() !== 'x-amz-signature')
      .map((name) => [uriEscape(name), uriEscape(request.query[name]!)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => `${name}=${value}`)
      .join('&');
    const signedList = signed.join(';');
    const canonicalRequest = `${request.method}\n${request.path}\n${canonicalQuery}\n${canonicalHeaders}\n${signedList}\n${payloadHash}`;
    const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    const signature = createHmac('sha256', this.#signingKey(day)).update(stringToSign).digest('hex');
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${this.credentials.accessKeyId}/${scope}, SignedHeaders=${signedList}, Signature=${signature}`;
    return { headers, query: canonicalQuery };
  }

  #signingKey(day: string): Buffer {
    if (day !== this.#day) {
      const dated = hmac(`AWS4${this.credentials.secretAccessKey}`, day);
      this.#key = hmac(hmac(hmac(dated, this.region), this.service), 'aws4_request');
      this.#day = day;
    }
    return this.#key;
  }
}

/** A header value as SigV4 signs it: line breaks as spaces, runs of spaces and tabs as one, no space at either end. */
function canonicalValue(value: string): string {
  return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
}
