/**
 * Signed GET requests sent before the S3 client is loaded: a publish's first listing page and its manifest.
 *
 * Loading the AWS SDK takes 0.25–0.4 s of the main thread (a 1.1 MB bundle chunk to compile, then hundreds of
 * modules to initialise), which put a publish's first request 0.6 s after the process started. These GETs are signed
 * by sigv4.ts (as the SDK's own signer signs them, without its 428 KB of modules) and sent with node:http, so that
 * the first round trips overlap the SDK's loading and the folder's scan. Anything but a plain answer (a network
 * error, a redirect, an error status other than a missing object) resolves to undefined: the caller then sends the
 * same request through the SDK, which retries and describes errors as for any request.
 * The same signer sends the publish's small uploads (signed-put.ts), without the SDK's per-request work.
 */
import http from 'node:http';
import https from 'node:https';
import type { S3Credentials, S3Endpoint } from './endpoint.js';
import { SigV4Signer, uriEscape } from './sigv4.js';

export interface EarlyTarget {
  /** `https://garage.example.org` (no AWS default: early requests need an endpoint). */
  endpoint: string;
  region: string;
  forcePathStyle: boolean;
  credentials: S3Credentials;
}

/**
 * The target of signed requests for an endpoint, or undefined without an endpoint and keys: then the SDK finds AWS,
 * or credentials in a profile, and every request goes through it.
 */
export function earlyTargetOf({ endpoint, region, forcePathStyle, credentials }: S3Endpoint): EarlyTarget | undefined {
  return endpoint === undefined || credentials === undefined ? undefined : { endpoint, region, forcePathStyle, credentials };
}

export interface EarlyResponse {
  status: number;
  /** Names in lower case, repeated headers joined. */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A signed GET of `key` (or of the bucket, when key is undefined) with `query`; never rejects (see above).
 * `onWritten` is called once the request is on the wire (or has failed): until then it needs the main thread.
 */
export function earlyGet(
  target: EarlyTarget,
  bucket: string,
  key: string | undefined,
  query: Record<string, string>,
  onWritten: () => void = () => {},
  timeoutMs = 10_000,
): Promise<EarlyResponse | undefined> {
  return signedRequest(target, { method: 'GET', bucket, key, query }, onWritten, timeoutMs);
}

/** One request as signedRequest sends it. */
export interface SignedRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  bucket: string;
  /** Undefined: the bucket itself. */
  key?: string;
  query?: Record<string, string>;
  /** Lower-case names; signed with the rest. */
  headers?: Record<string, string>;
  body?: Buffer;
}

/**
 * A request signed with SigV4 (the payload's SHA-256 included, as the SDK signs it) and sent with node:http; never
 * rejects: anything but a complete answer resolves to undefined.
 */
export async function signedRequest(target: EarlyTarget, request: SignedRequest, onWritten: () => void = () => {}, timeoutMs = 10_000): Promise<EarlyResponse | undefined> {
  try {
    const { bucket, key, body } = request;
    const query = request.query ?? {};
    const base = new URL(target.endpoint);
    const basePath = base.pathname.replace(/\/+$/, '');
    const objectPath = key === undefined ? '/' : `/${key.split('/').map(uriEscape).join('/')}`;
    const hostname = target.forcePathStyle ? base.hostname : `${bucket}.${base.hostname}`;
    const path = target.forcePathStyle ? `${basePath}/${uriEscape(bucket)}${key === undefined ? '' : objectPath}` : `${basePath}${objectPath}`;
    const host = base.port ? `${hostname}:${base.port}` : hostname;
    const headers: Record<string, string> = { ...request.headers, host };
    if (body !== undefined) headers['content-length'] = String(body.length);
    const signed = signerFor(target).sign({ method: request.method, path, query, headers, body });
    const options = { hostname, port: base.port || undefined, path: signed.query ? `${path}?${signed.query}` : path, headers: signed.headers, method: request.method };
    return await send(base.protocol, options, body, onWritten, timeoutMs);
  } catch {
    onWritten();
    return undefined;
  }
}

/** One signer per target: it keeps the derived signing key, made once a day per region. */
const signers = new WeakMap<EarlyTarget, SigV4Signer>();
function signerFor(target: EarlyTarget): SigV4Signer {
  let signer = signers.get(target);
  if (!signer) {
    signer = new SigV4Signer(target.credentials, target.region);
    signers.set(target, signer);
  }
  return signer;
}

function send(protocol: string, options: http.RequestOptions, body: Buffer | undefined, onWritten: () => void, timeoutMs: number): Promise<EarlyResponse | undefined> {
  const transport = protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = transport.request({ ...options, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]));
      response.on('end', () => resolve(response.complete ? { status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks) } : undefined));
      response.on('error', () => resolve(undefined));
    });
    request.on('finish', onWritten);
    request.on('timeout', () => request.destroy());
    request.on('error', () => {
      onWritten();
      resolve(undefined);
    });
    request.end(body);
  });
}

/**
 * A middleware for one SDK command that answers its first attempt with an early response instead of sending it: the
 * SDK's own deserializer then reads it (errors included), as if it had come from the server. Added at the end of the
 * deserialize step, where list-page.ts reads raw pages too. The SDK's request counter counts it as the one request.
 */
export function replayEarlyResponse(answer: EarlyResponse) {
  let used = false;
  return <Output>(next: (args: unknown) => Promise<Output>) =>
    async (args: unknown): Promise<Output | { response: unknown; output: unknown }> => {
      if (used) return next(args);
      used = true;
      return { response: { statusCode: answer.status, reason: '', headers: answer.headers, body: answer.body }, output: undefined };
    };
}
