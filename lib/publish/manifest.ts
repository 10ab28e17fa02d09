/**
 * The manifest: which headers each object was published with. The listing is the truth about content;
 * the manifest only says "this ETag was published with these headers". A missing, stale or hand-edited
 * manifest is harmless: entries that do not match the listing are ignored, and their objects get
 * their headers set again by a server-side copy.
 */
import type { Manifest, ManifestEntry } from './types.js';

export const MANIFEST_NAME = 'manifest.json';

export function emptyManifest(): Manifest {
  return { version: 1, objects: {} };
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
  if ((data as { version?: unknown })?.version !== 1 || typeof raw !== 'object' || raw === null || Array.isArray(raw)) return emptyManifest();
  // The parsed entries are kept (not copied) and each distinct header fingerprint is stored once:
  // at 100,000 objects copies would cost tens of MB.
  const objects = raw as Record<string, ManifestEntry>;
  const fingerprints = new Map<string, string>();
  for (const key in objects) {
    const entry = objects[key] as Partial<ManifestEntry> | null;
    if (!entry || typeof entry !== 'object' || typeof entry.etag !== 'string' || typeof entry.headers !== 'string' || (entry.md5 !== undefined && typeof entry.md5 !== 'string')) {
      delete objects[key];
      continue;
    }
    const shared = fingerprints.get(entry.headers);
    if (shared === undefined) fingerprints.set(entry.headers, entry.headers);
    else entry.headers = shared;
    for (const field in entry) if (field !== 'etag' && field !== 'headers' && field !== 'md5') delete (entry as Record<string, unknown>)[field];
  }
  const website = (data as { website?: unknown }).website;
  return typeof website === 'string' ? { version: 1, website, objects } : { version: 1, objects };
}

/** Stable text: keys sorted, one entry a line, so the same state gives the same bytes. */
export function serializeManifest(manifest: Manifest): string {
  return manifestBody(manifest).toString('utf8');
}

/**
 * The manifest as the bytes to upload. Built in slices of lines turned into bytes at once: at
 * 100,000 objects, an array of every line plus the joined text plus its bytes would briefly cost
 * some 40 MB more.
 */
export function manifestBody(manifest: Manifest): Buffer {
  const keys = Object.keys(manifest.objects).sort();
  const website = manifest.website === undefined ? '' : `"website":${JSON.stringify(manifest.website)},`;
  const chunks: Buffer[] = [Buffer.from(`{"version":1,${website}"objects":{\n`)];
  for (let start = 0; start < keys.length; start += 2048) {
    let text = '';
    for (let i = start; i < Math.min(start + 2048, keys.length); i++) {
      const key = keys[i]!;
      text += `${i === 0 ? '' : ',\n'}${JSON.stringify(key)}:${JSON.stringify(manifest.objects[key])}`;
    }
    chunks.push(Buffer.from(text));
  }
  chunks.push(Buffer.from('\n}}\n'));
  return Buffer.concat(chunks);
}

/** Whether two manifests hold the same records, without serialising them (10 MB each at 100,000 objects). */
export function sameManifest(a: Manifest, b: Manifest): boolean {
  if (a.website !== b.website) return false;
  const keys = Object.keys(a.objects);
  if (keys.length !== Object.keys(b.objects).length) return false;
  for (const key of keys) {
    const x = a.objects[key]!;
    const y = b.objects[key];
    if (!y || x.etag !== y.etag || x.headers !== y.headers || x.md5 !== y.md5) return false;
  }
  return true;
}

/** The JSON string that starts a line of manifestBody's layout: an entry's key. */
const KEY_AT_LINE_START = /^"((?:[^"\\]|\\.)*)":/;

/**
 * Where listing ranges end, read from a manifest in manifestBody's layout (one entry a line, keys sorted) without
 * parsing the rest of it: every `step`-th key, the first one a key early so that the first range also holds the
 * manifest itself, never the last key. Empty when the text has another layout (a hand-edited manifest): the
 * caller then splits on other keys. Keys are in JavaScript's order (see inKeyOrder).
 */
export function manifestRangeEnds(text: string, step: number): string[] {
  const ends: string[] = [];
  let entry = 0;
  let lastPicked = -1;
  let lineStart = text.indexOf('\n') + 1;
  while (lineStart > 0 && lineStart < text.length && text.charCodeAt(lineStart) === 34 /* " */) {
    const lineEnd = text.indexOf('\n', lineStart);
    if ((entry + 2) % step === 0) {
      const match = KEY_AT_LINE_START.exec(text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd));
      if (!match) return [];
      try {
        ends.push(JSON.parse(`"${match[1]}"`) as string);
      } catch {
        return [];
      }
      lastPicked = entry;
    }
    entry++;
    if (lineEnd === -1) break;
    lineStart = lineEnd + 1;
  }
  if (lastPicked === entry - 1) ends.pop();
  return ends;
}
