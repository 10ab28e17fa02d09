/** Small HTTP helpers for the preview tests: raw paths as given, no keep-alive, bodies as bytes. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** `target` is the preview's base URL; `rawPath` goes on the wire exactly as written (percent-encoding included). */
export function fetchRaw(target: string, rawPath: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpResponse> {
  const base = new URL(target);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: base.hostname, port: base.port, path: rawPath, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The whole response of one request as bytes off the socket (to prove a HEAD answer carries no body). */
export function rawExchange(target: string, requestText: string): Promise<string> {
  const base = new URL(target);
  return new Promise((resolve, reject) => {
    // Written, not ended: the server closes the connection after its answer (Connection: close).
    const socket = connect({ host: base.hostname, port: Number(base.port) }, () => socket.write(requestText));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

/** `reunions/Réunion 2 février.html` → `/reunions/R%C3%A9union%202%20f%C3%A9vrier.html`. */
export function urlPathOf(key: string): string {
  return '/' + key.split('/').map(encodeURIComponent).join('/');
}

/** A fresh temporary folder. */
export function tempFolder(prefix = 'fleuron-preview-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A copy of the example site's sources, to build (and change) without touching site-src/. */
export async function copyExampleSite(into: string): Promise<string> {
  const copy = path.join(into, 'site-src');
  await cp(path.join(REPO_ROOT, 'site-src'), copy, { recursive: true });
  return copy;
}

/** Polls `check` until it returns true (or throws after `timeoutMs`). */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
