/**
 * The manifest: which headers each object was published with. The listing is the truth about content;
 * the manifest only says "this ETag was published with these headers". A missing, stale or hand-edited
 * manifest is harmless: entries that do not match the listing are ignored, and their objects get
 * their headers set again by a server-side copy.
 *
 * The manifest is readable by anyone (every key of a website bucket is public), so it names no object:
 * entries are keyed by a hash of the object key. A visitor can confirm a key they already guessed (as a
 * GET of its URL would), never read the list of pages nothing links to.
 */
import { createHash, hash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';
import type { Manifest, ManifestEntry } from './types.js';

const gzipAsync = promisify(gzip);
/** A git blob id as the manifest records it (hex SHA-1). */
const GIT_BLOB = /^[0-9a-f]{40}$/;

/**
 * How the manifest is stored: its JSON text gzip-compressed (Content-Encoding: gzip), because every publish reads it
 * whole. At 10,000 objects the text is 990 KB, 41 % of it once compressed (410 KB; its hashes and ETags are random
 * bytes), against the listing's 2.7 MB of XML. An earlier fleuron wrote the text itself: readManifest reads both.
 * (Those earlier versions cannot read this one: they take it for a missing manifest and set every object's headers
 * again, once.)
 */
export const MANIFEST_OBJECT = { ContentType: 'application/json; charset=utf-8', ContentEncoding: 'gzip', CacheControl: 'no-store' } as const;

/** The manifest's name for an object key: MD5 in base64url (22 characters), as cheap as a hash gets in Node. */
export function manifestKey(key: string): string {
  return typeof hash === 'function' ? hash('md5', key, 'base64url') : createHash('md5').update(key).digest('base64url');
}

export function emptyManifest(): Manifest {
  return { version: 2, objects: {} };
}

/** Parses a manifest, keeping only well-formed entries; anything unreadable becomes an empty manifest. */
export function parseManifest(text: string | undefined): Manifest {
  if (text === undefined) return emptyManifest();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return emptyManifest();
  }
  const raw = (data as { version?: unknown; objects?: unknown })?.objects;
  const version = (data as { version?: unknown })?.version;
  if ((version !== 1 && version !== 2) || typeof raw !== 'object' || raw === null || Array.isArray(raw)) return emptyManifest();
  // The parsed entries are kept (not copied) and each distinct header fingerprint is stored once:
  // at 100,000 objects copies would cost tens of MB. Version 1 named the keys: they are hashed once, here.
  const objects = version === 2 ? (raw as Record<string, ManifestEntry>) : Object.fromEntries(Object.entries(raw).map(([key, entry]) => [manifestKey(key), entry as ManifestEntry]));
  const fingerprints = new Map<string, string>();
  for (const key in objects) {
    const entry = objects[key] as Partial<ManifestEntry> | null;
    if (!entry || typeof entry !== 'object' || typeof entry.etag !== 'string' || typeof entry.headers !== 'string' || (entry.md5 !== undefined && typeof entry.md5 !== 'string') || (entry.git !== undefined && !GIT_BLOB.test(String(entry.git)))) {
      delete objects[key];
      continue;
    }
    const shared = fingerprints.get(entry.headers);
    if (shared === undefined) fingerprints.set(entry.headers, entry.headers);
    else entry.headers = shared;
    for (const field in entry) if (field !== 'etag' && field !== 'headers' && field !== 'md5' && field !== 'git') delete (entry as Record<string, unknown>)[field];
  }
  const website = (data as { website?: unknown }).website;
  return typeof website === 'string' ? { version: 2, website, objects } : { version: 2, objects };
}

/** The manifest from its stored bytes, gzip or (as written before) plain text; anything unreadable is an empty one. */
export function readManifest(body: Uint8Array | undefined): Manifest {
  if (body === undefined) return emptyManifest();
  if (body[0] !== 0x1f || body[1] !== 0x8b) return parseManifest(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  try {
    return parseManifest(gunzipSync(body).toString('utf8'));
  } catch {
    return emptyManifest();
  }
}

/** Stable text: keys sorted, one entry a line, so the same state gives the same bytes. */
export function serializeManifest(manifest: Manifest): string {
  return Buffer.concat([...manifestSlices(manifest)]).toString('utf8');
}

/**
 * The manifest as the bytes to upload (gzip of its text). The text is built in slices of lines turned into bytes at once: at
 * 100,000 objects, an array of every line plus the joined text plus its bytes would briefly cost
 * some 40 MB more.
 */
export function manifestBody(manifest: Manifest): Buffer {
  return gzipSync(Buffer.concat([...manifestSlices(manifest)]));
}

/**
 * The same bytes, made while the publish waits on the network: the text slice by slice, letting other work run in
 * between, and compressed in libuv's thread pool. At 10,000 objects manifestBody takes 60-200 ms of the main thread
 * (measured on the 2-core machine, busy), which a publish otherwise spends after its last upload, before the manifest
 * PUT: prepared during the uploads (or the lock's round trips), it is ready when they end.
 */
export async function prepareManifestBody(manifest: Manifest): Promise<Buffer> {
  const slices: Buffer[] = [];
  for (const slice of manifestSlices(manifest)) {
    await new Promise((resolve) => setImmediate(resolve));
    slices.push(slice);
  }
  return gzipAsync(Buffer.concat(slices));
}

function* manifestSlices(manifest: Manifest): Generator<Buffer> {
  const keys = Object.keys(manifest.objects).sort();
  const website = manifest.website === undefined ? '' : `"website":${JSON.stringify(manifest.website)},`;
  yield Buffer.from(`{"version":2,${website}"objects":{\n`);
  for (let start = 0; start < keys.length; start += 2048) {
    let text = '';
    for (let i = start; i < Math.min(start + 2048, keys.length); i++) {
      const key = keys[i]!;
      text += `${i === 0 ? '' : ',\n'}${JSON.stringify(key)}:${JSON.stringify(manifest.objects[key])}`;
    }
    yield Buffer.from(text);
  }
  yield Buffer.from('\n}}\n');
}

/** Whether two manifests hold the same records, without serialising them (10 MB each at 100,000 objects). */
export function sameManifest(a: Manifest, b: Manifest): boolean {
  if (a.website !== b.website) return false;
  const keys = Object.keys(a.objects);
  if (keys.length !== Object.keys(b.objects).length) return false;
  for (const key of keys) {
    const x = a.objects[key]!;
    const y = b.objects[key];
    if (!y || x.etag !== y.etag || x.headers !== y.headers || x.md5 !== y.md5 || x.git !== y.git) return false;
  }
  return true;
}
