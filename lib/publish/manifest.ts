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
  const objects: Record<string, ManifestEntry> = {};
  const raw = (data as { version?: unknown; objects?: unknown })?.objects;
  if ((data as { version?: unknown })?.version !== 1 || typeof raw !== 'object' || raw === null) return emptyManifest();
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const entry = value as Partial<ManifestEntry> | null;
    if (entry && typeof entry.etag === 'string' && typeof entry.headers === 'string') {
      objects[key] = { etag: entry.etag, headers: entry.headers, ...(typeof entry.md5 === 'string' ? { md5: entry.md5 } : {}) };
    }
  }
  const website = (data as { website?: unknown }).website;
  return typeof website === 'string' ? { version: 1, website, objects } : { version: 1, objects };
}

/** Stable text: keys sorted, one entry a line, so the same state gives the same bytes. */
export function serializeManifest(manifest: Manifest): string {
  const keys = Object.keys(manifest.objects).sort();
  const lines = keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(manifest.objects[key])}`);
  const website = manifest.website === undefined ? '' : `"website":${JSON.stringify(manifest.website)},`;
  return `{"version":1,${website}"objects":{\n${lines.join(',\n')}\n}}\n`;
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
