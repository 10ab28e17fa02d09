/**
 * A fault-injecting HTTP reverse proxy on 127.0.0.1, put between fleuron and the test S3 server.
 *
 * It injects `500 InternalError` and `503 SlowDown` (S3 XML error bodies), dropped connections (the
 * socket destroyed before forwarding, or in the middle of the response, after the server has acted)
 * and added latency. Every decision is a pure function of (seed, request identity, how many times
 * that identity was seen), so a run makes the same decisions for the same requests whatever order
 * concurrent requests arrive in. Bodies are streamed both ways, never buffered.
 *
 * The `Host` header is forwarded as the client sent it: SigV4 signs it, and the client signed for the
 * proxy's host:port.
 *
 * s3rver implements neither ListMultipartUploads nor AbortMultipartUpload; with `emulateMultipartListing`
 * the proxy answers those two itself from the uploads it saw created and completed, so the tests of
 * leftover-upload cleanup mean something there. Against a real server (Ceph) leave it off.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FaultRates {
  /** Probability of answering `500 InternalError` without forwarding. */
  internalError?: number;
  /** Probability of answering `503 SlowDown` without forwarding. */
  slowDown?: number;
  /** Probability of destroying the client socket before forwarding. */
  dropBefore?: number;
  /** Probability of forwarding, then destroying the socket part-way through the response. */
  dropMidResponse?: number;
  /** Added latency before each request is handled, uniform in [min, max] ms. */
  latencyMs?: [number, number];
}

export interface FaultProxyOptions extends FaultRates {
  /** Where to forward, e.g. `http://127.0.0.1:4568`. */
  target: string;
  seed: number;
  /** Only requests for which this returns true get faults (latency applies to all). Default: all. */
  eligible?: (request: ProxiedRequest) => boolean;
  /** Other fault rates for some requests (e.g. more faults on multipart parts). */
  ratesFor?: (request: ProxiedRequest) => Omit<FaultRates, 'latencyMs'> | undefined;
  emulateMultipartListing?: boolean;
}

export interface ProxiedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  /** Decoded path without the query. */
  path: string;
  query: URLSearchParams;
}

export type FaultKind = 'internalError' | 'slowDown' | 'dropBefore' | 'dropMidResponse';

export interface FaultCounters {
  requests: number;
  forwarded: number;
  internalError: number;
  slowDown: number;
  dropBefore: number;
  dropMidResponse: number;
  /** Sum of injected latency, ms. */
  delayedMs: number;
}

export interface LogEntry {
  method: string;
  url: string;
  /** Decoded path: `/bucket/key`. */
  path: string;
  fault?: FaultKind;
  status?: number;
  /** The client went away (killed) before its request body had all been passed on; the forwarded request was aborted. */
  bodyCut?: boolean;
  /** The client went away before it had the whole response (killed, or a dropped connection). */
  clientGone?: boolean;
  /** Passed on to the server. */
  forwarded?: boolean;
}

interface ClientState {
  gone: boolean;
  onGone: (() => void)[];
}

export interface OpenUpload {
  bucket: string;
  key: string;
  uploadId: string;
}

/** mulberry32: a small, fast 32-bit seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, 32 bits: turns a string into a PRNG seed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

const ERROR_BODIES: Record<'internalError' | 'slowDown', { status: number; code: string; message: string }> = {
  internalError: { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' },
  slowDown: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
};

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

export class FaultProxy {
  readonly counters: FaultCounters = { requests: 0, forwarded: 0, internalError: 0, slowDown: 0, dropBefore: 0, dropMidResponse: 0, delayedMs: 0 };
  readonly log: LogEntry[] = [];
  /** Multipart uploads created through the proxy and neither completed nor aborted (emulation only). */
  readonly openUploads = new Map<string, OpenUpload>();
  private options: FaultProxyOptions;
  private readonly server: http.Server;
  private readonly upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly targetUrl: URL;
  private readonly seen = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private gate: { filter: (request: ProxiedRequest) => boolean; waiting: (() => void)[] } | undefined;
  private listeners: ((request: ProxiedRequest) => void)[] = [];
  private port = 0;

  private constructor(options: FaultProxyOptions) {
    this.options = options;
    this.targetUrl = new URL(options.target);
    this.server = http.createServer((request, response) => {
      this.handle(request, response).catch(() => request.socket.destroy());
    });
    this.server.keepAliveTimeout = 5_000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Changes rates, latency or seed for the requests that arrive from now on. */
  configure(change: Partial<Omit<FaultProxyOptions, 'target'>>): void {
    this.options = { ...this.options, ...change };
  }

  /** Faults off, latency off. */
  calm(): void {
    this.configure({ internalError: 0, slowDown: 0, dropBefore: 0, dropMidResponse: 0, latencyMs: undefined, ratesFor: undefined });
  }

  faultsInjected(): number {
    const c = this.counters;
    return c.internalError + c.slowDown + c.dropBefore + c.dropMidResponse;
  }

  /** Counters, log and occurrence counts back to zero. */
  resetCounters(): void {
    for (const key of Object.keys(this.counters) as (keyof FaultCounters)[]) this.counters[key] = 0;
    this.log.length = 0;
    this.seen.clear(); // decisions start over: a test decides the same whatever ran before it
  }

  /** Holds matching requests (before forwarding) until `release()`. */
  hold(filter: (request: ProxiedRequest) => boolean): void {
    this.release();
    this.gate = { filter, waiting: [] };
  }

  release(): void {
    const gate = this.gate;
    this.gate = undefined;
    gate?.waiting.forEach((resume) => resume());
  }

  heldCount(): number {
    return this.gate?.waiting.length ?? 0;
  }

  /** Called synchronously as each request arrives (before latency and faults). Returns an unsubscribe. */
  onRequest(listener: (request: ProxiedRequest) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }

  async close(): Promise<void> {
    this.release();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.upstreamAgent.destroy();
  }

  /** Which fault, if any, the n-th occurrence of this request gets; also its latency. */
  private decide(request: ProxiedRequest): { fault?: FaultKind; latency: number } {
    // Identity without the bucket (tests make random bucket names) and the upload id (random per
    // run), so a run decides the same way every time.
    const query = new URLSearchParams(request.query);
    query.delete('uploadId');
    const identity = `${request.method} ${request.path.replace(/^\/[^/]*/, '')}?${query.toString()}`;
    const occurrence = (this.seen.get(identity) ?? 0) + 1;
    this.seen.set(identity, occurrence);
    const random = seededRandom(hashString(`${this.options.seed}|${identity}|${occurrence}`));
    const [min, max] = this.options.latencyMs ?? [0, 0];
    const latency = max > 0 ? Math.round(min + random() * (max - min)) : 0;
    const draw = random();
    if (this.options.eligible && !this.options.eligible(request)) return { latency };
    const rates = this.options.ratesFor?.(request) ?? this.options;
    let threshold = 0;
    for (const kind of ['internalError', 'slowDown', 'dropBefore', 'dropMidResponse'] as const) {
      threshold += rates[kind] ?? 0;
      if (draw < threshold) return { fault: kind, latency };
    }
    return { latency };
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const parsed = new URL(request.url ?? '/', 'http://proxy');
    const info: ProxiedRequest = { method: request.method ?? 'GET', url: request.url ?? '/', path: decodeURIComponent(parsed.pathname), query: parsed.searchParams };
    this.counters.requests++;
    for (const listener of this.listeners) listener(info);
    const entry: LogEntry = { method: info.method, url: info.url, path: info.path };
    this.log.push(entry);
    // The client may go away (killed) at any point; whatever was forwarded for it is then aborted.
    const client: ClientState = { gone: false, onGone: [] };
    response.on('close', () => {
      if (response.writableFinished || client.gone) return;
      client.gone = true;
      client.onGone.forEach((run) => run());
    });
    const { fault, latency } = this.decide(info);

    if (latency > 0) {
      this.counters.delayedMs += latency;
      await new Promise((resolve) => setTimeout(resolve, latency));
    }
    const gate = this.gate;
    if (gate && gate.filter(info)) await new Promise<void>((resume) => gate.waiting.push(resume));
    if (client.gone || request.socket.destroyed) {
      entry.clientGone = true;
      return;
    }

    if (fault) entry.fault = fault;
    if (fault === 'dropBefore') {
      this.counters.dropBefore++;
      request.socket.destroy();
      return;
    }
    if (fault === 'internalError' || fault === 'slowDown') {
      this.counters[fault]++;
      await this.drain(request);
      const error = ERROR_BODIES[fault];
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${error.message}</Message><Resource>${xmlEscape(info.path)}</Resource><RequestId>fault-proxy-${this.counters.requests}</RequestId></Error>`;
      entry.status = error.status;
      response.writeHead(error.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': `fault-proxy-${this.counters.requests}` });
      response.end(body);
      return;
    }
    if (this.options.emulateMultipartListing && (await this.emulate(info, request, response, entry))) return;
    await this.forward(info, request, response, entry, client, fault === 'dropMidResponse');
  }

  private drain(request: http.IncomingMessage): Promise<void> {
    return new Promise((resolve) => {
      if (request.readableEnded) return resolve();
      request.on('end', resolve);
      request.on('error', () => resolve());
      request.on('close', () => resolve());
      request.resume();
    });
  }

  /** ListMultipartUploads and AbortMultipartUpload answered from what the proxy saw (s3rver has neither). */
  private async emulate(info: ProxiedRequest, request: http.IncomingMessage, response: http.ServerResponse, entry: LogEntry): Promise<boolean> {
    const [, bucket = '', ...rest] = info.path.split('/');
    const key = rest.join('/');
    if (info.method === 'GET' && key === '' && info.query.has('uploads')) {
      await this.drain(request);
      const prefix = info.query.get('prefix') ?? '';
      const uploads = [...this.openUploads.values()].filter((upload) => upload.bucket === bucket && upload.key.startsWith(prefix));
      const body =
        '<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        `<Bucket>${xmlEscape(bucket)}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><NextKeyMarker></NextKeyMarker><NextUploadIdMarker></NextUploadIdMarker>` +
        `<Prefix>${xmlEscape(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>` +
        uploads.map((upload) => `<Upload><Key>${xmlEscape(upload.key)}</Key><UploadId>${xmlEscape(upload.uploadId)}</UploadId><Initiated>2026-01-01T00:00:00.000Z</Initiated><StorageClass>STANDARD</StorageClass></Upload>`).join('') +
        '</ListMultipartUploadsResult>';
      entry.status = 200;
      response.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
      response.end(body);
      return true;
    }
    if (info.method === 'DELETE' && key !== '' && info.query.has('uploadId')) {
      await this.drain(request);
      const existed = this.openUploads.delete(info.query.get('uploadId')!);
      if (existed) {
        entry.status = 204;
        response.writeHead(204);
        response.end();
      } else {
        const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>`;
        entry.status = 404;
        response.writeHead(404, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
        response.end(body);
      }
      return true;
    }
    return false;
  }

  private forward(info: ProxiedRequest, request: http.IncomingMessage, response: http.ServerResponse, entry: LogEntry, client: ClientState, dropMidResponse: boolean): Promise<void> {
    this.counters.forwarded++;
    entry.forwarded = true;
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(request.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
    if (request.headers['transfer-encoding']) headers['transfer-encoding'] = request.headers['transfer-encoding'];
    return new Promise<void>((resolve) => {
      const upstream = http.request(
        { hostname: this.targetUrl.hostname, port: this.targetUrl.port, method: info.method, path: info.url, headers, agent: this.upstreamAgent },
        (upstreamResponse) => {
          const status = upstreamResponse.statusCode ?? 502;
          entry.status = status;
          if (this.options.emulateMultipartListing && status === 200 && info.method === 'POST') {
            const [, bucket = '', ...rest] = info.path.split('/');
            if (info.query.has('uploadId')) {
              // CompleteMultipartUpload succeeded (s3rver never answers 200 with an error body)
              this.openUploads.delete(info.query.get('uploadId')!);
            } else if (info.query.has('uploads')) {
              let xml = '';
              upstreamResponse.on('data', (chunk: Buffer) => {
                xml += chunk.toString();
                const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(xml)?.[1];
                if (uploadId) this.openUploads.set(uploadId, { bucket, key: rest.join('/'), uploadId });
              });
            }
          }

          if (dropMidResponse) {
            this.counters.dropMidResponse++;
            this.truncate(request.socket, upstreamResponse, status).finally(resolve);
            return;
          }
          const responseHeaders: http.OutgoingHttpHeaders = {};
          for (const [name, value] of Object.entries(upstreamResponse.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) responseHeaders[name] = value;
          response.writeHead(status, upstreamResponse.statusMessage, responseHeaders);
          upstreamResponse.pipe(response);
          upstreamResponse.on('error', () => response.destroy());
          response.on('close', () => {
            if (!upstreamResponse.readableEnded) upstreamResponse.destroy();
            resolve();
          });
        },
      );
      upstream.on('error', () => {
        // The server went away (or the client did, and we aborted): the client sees a dropped connection.
        request.socket.destroy();
        resolve();
      });
      // A client that disconnects (killed) aborts the forwarded request too, as a real network would.
      let bodySent = false;
      upstream.on('finish', () => (bodySent = true));
      client.onGone.push(() => {
        if (!bodySent) entry.bodyCut = true;
        entry.clientGone = true;
        upstream.destroy();
        resolve();
      });
      request.pipe(upstream);
    });
  }

  /**
   * Sends part of the upstream response and destroys the socket: the server has acted, the client
   * never learns the outcome. Half the body when there is one, else half of the header block.
   */
  private async truncate(socket: Socket, upstreamResponse: http.IncomingMessage, status: number): Promise<void> {
    const lines = [`HTTP/1.1 ${status} ${upstreamResponse.statusMessage ?? ''}`];
    for (let i = 0; i < upstreamResponse.rawHeaders.length; i += 2) {
      const name = upstreamResponse.rawHeaders[i]!;
      if (!HOP_BY_HOP.has(name.toLowerCase())) lines.push(`${name}: ${upstreamResponse.rawHeaders[i + 1]}`);
    }
    const length = Number(upstreamResponse.headers['content-length'] ?? 0);
    const head = `${lines.join('\r\n')}\r\n\r\n`;
    if (!(length > 1)) {
      socket.write(head.slice(0, Math.floor(head.length / 2)));
      upstreamResponse.resume();
      await new Promise((resolve) => upstreamResponse.on('end', resolve).on('error', resolve).on('close', resolve));
      socket.destroy();
      return;
    }
    socket.write(head);
    const half = Math.floor(length / 2);
    let sent = 0;
    await new Promise<void>((resolve) => {
      upstreamResponse.on('data', (chunk: Buffer) => {
        if (sent >= half) return;
        const part = chunk.subarray(0, half - sent);
        sent += part.length;
        socket.write(part);
        if (sent >= half) {
          upstreamResponse.destroy();
          resolve();
        }
      });
      upstreamResponse.on('end', () => resolve());
      upstreamResponse.on('error', () => resolve());
      upstreamResponse.on('close', () => resolve());
    });
    socket.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers for the tests that use the proxy: a CLI child that can be killed, folders of generated
// files, and "does the bucket equal this folder" by listing and ETag.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import nodePath from 'node:path';
import { hashFileBody } from '../../lib/publish/body-hash.js';
import { allOutputs, CLI, REPO_ROOT, type CliResult } from './run-cli.js';
import { listBucket } from './test-s3.js';

export interface CliChild {
  child: ChildProcess;
  /** Resolves when the process has closed (killed or not). */
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
  /** Output so far. */
  output(): { stdout: string; stderr: string };
}

/** Spawns `node bin/fleuron.js ARGS` like runCli does (clean env, CI=true), without waiting for it. */
export function startCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): CliChild {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), CI: 'true', XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? os.tmpdir() };
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO_ROOT, env: { ...base, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      allOutputs.push(stdout, stderr);
      resolve({ code: code ?? -1, signal, stdout, stderr });
    });
  });
  return { child, done, output: () => ({ stdout, stderr }) };
}

/** Kills a child if it still runs and waits for it (for finally blocks). */
export async function stopChild(cli: CliChild | undefined): Promise<void> {
  if (!cli) return;
  if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  await cli.done.catch(() => {});
}

/** Waits until `check()` is true, polling; false if it never was within `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= end) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Writes `files` (relative path → content) under `root`. */
export async function writeFiles(root: string, files: Map<string, Buffer | string>): Promise<void> {
  const folders = new Set([...files.keys()].map((file) => nodePath.dirname(nodePath.join(root, file))));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  const entries = [...files];
  for (let i = 0; i < entries.length; i += 64) {
    await Promise.all(entries.slice(i, i + 64).map(([file, body]) => writeFile(nodePath.join(root, file), body)));
  }
}

/** ETags a key may legitimately have: the MD5, and for multipart bodies the `-N` ETag too. */
export type EtagSet = Map<string, Set<string>>;

/** Every file of a folder (relative, `/`-separated) with the ETags its object may have. */
export async function folderEtags(root: string): Promise<EtagSet> {
  const result: EtagSet = new Map();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = nodePath.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const hash = await hashFileBody(full, false);
        result.set(nodePath.relative(root, full).split(nodePath.sep).join('/'), new Set([hash.md5, ...(hash.multipartEtag ? [hash.multipartEtag] : [])]));
      }
    }
  };
  await walk(root);
  return result;
}

/** Site objects of a bucket under `prefix` (state under `<prefix>.fleuron/` left out), keys without the prefix. */
export async function siteObjects(bucket: string, prefix = ''): Promise<Map<string, string>> {
  const objects = new Map<string, string>();
  for (const [key, object] of await listBucket(bucket)) {
    if (!key.startsWith(prefix)) continue;
    const relative = key.slice(prefix.length);
    if (relative.startsWith('.fleuron/')) continue;
    objects.set(relative, object.etag);
  }
  return objects;
}

/**
 * How the bucket differs from what is allowed: each key must be in one of `versions` with one of
 * that version's ETags; with `exact`, the key set must equal the first version's. Empty: fine.
 */
export async function bucketProblems(bucket: string, versions: EtagSet[], options: { prefix?: string; exact?: boolean } = {}): Promise<string[]> {
  const objects = await siteObjects(bucket, options.prefix);
  const problems: string[] = [];
  for (const [key, etag] of objects) {
    const allowed = versions.filter((version) => version.has(key));
    if (allowed.length === 0) problems.push(`unexpected key ${key}`);
    else if (!allowed.some((version) => version.get(key)!.has(etag))) problems.push(`${key} has ETag ${etag}, not any expected version's (${allowed.map((version) => [...version.get(key)!].join('|')).join(' or ')})`);
  }
  if (options.exact) for (const key of versions[0]!.keys()) if (!objects.has(key)) problems.push(`missing key ${key}`);
  return problems;
}

/** stderr lines that are not warnings. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('warning:'));
}
