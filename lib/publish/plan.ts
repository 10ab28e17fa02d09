/**
 * The plan: a pure function from what the folder holds and what the bucket holds to the list of
 * actions that make the bucket equal the folder, each with its reason. No I/O here.
 */
import { headersFingerprint } from '../headers/object-headers.js';
import { manifestKey, sameManifest } from './manifest.js';
import type {
  DeleteAction,
  HeaderUpdateAction,
  LocalFile,
  Manifest,
  ManifestEntry,
  Plan,
  RemoteObject,
  UploadAction,
} from './types.js';

export interface PlanInput {
  local: readonly LocalFile[];
  /** The listing, keyed by object key. */
  remote: ReadonlyMap<string, RemoteObject>;
  /** The manifest read from the bucket (empty when missing). */
  manifest: Manifest;
  /** Whether a manifest object exists at all. */
  manifestFound: boolean;
  /** Upload everything, whatever the hashes say. */
  force?: boolean;
  /** Remote keys never to delete (e.g. the user's `keep` patterns). */
  keep?: (key: string) => boolean;
  /** Fingerprint of the website configuration the bucket will have, recorded in the manifest. */
  website?: string;
}

/** Whether the stored object has the same bytes as the local body. Never looks at modification times. */
export function sameContent(file: LocalFile, remote: RemoteObject, entry: ManifestEntry | undefined): boolean {
  if (remote.size !== file.size) return false;
  if (remote.etag === file.md5) return true; // single PUT, or a server that gives multipart objects a plain MD5
  if (file.multipartEtag !== undefined && remote.etag === file.multipartEtag) return true;
  // Uploaded by us in parts of another size: the manifest remembers its MD5.
  return entry !== undefined && entry.etag === remote.etag && entry.md5 === file.md5;
}

/** The ETag a fresh upload of `file` is expected to get (apply records the real one). */
export function expectedEtag(file: LocalFile): string {
  return file.multipartEtag ?? file.md5;
}

/** The manifest entry for an object published from `file` with the given ETag. */
export function manifestEntryFor(file: LocalFile, etag: string): ManifestEntry {
  const entry: ManifestEntry = { etag, headers: headersFingerprint(file.headers) };
  if (file.multipartEtag !== undefined) entry.md5 = file.md5;
  return entry;
}

const isPage = (key: string) => /\.html?$/i.test(key);
const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export function plan(input: PlanInput): Plan {
  const uploads: UploadAction[] = [];
  const headerUpdates: HeaderUpdateAction[] = [];
  const deletes: DeleteAction[] = [];
  const objects: Record<string, ManifestEntry> = {};
  let unchanged = 0;
  const localKeys = new Set<string>();

  for (const file of input.local) {
    localKeys.add(file.key);
    const remote = input.remote.get(file.key);
    const hashedKey = manifestKey(file.key);
    const entry = input.manifest.objects[hashedKey];
    if (remote === undefined || input.force || !sameContent(file, remote, entry)) {
      const reason = remote === undefined ? 'new' : input.force ? 'forced' : 'content differs';
      uploads.push({ kind: 'upload', key: file.key, file, reason });
      objects[hashedKey] = manifestEntryFor(file, expectedEtag(file));
      continue;
    }
    const fingerprint = headersFingerprint(file.headers);
    if (entry !== undefined && entry.etag === remote.etag && entry.headers === fingerprint) {
      unchanged++;
      objects[hashedKey] = entry;
      continue;
    }
    const reason = entry !== undefined && entry.etag === remote.etag ? 'header rules changed' : 'headers unknown';
    headerUpdates.push({ kind: 'update-headers', key: file.key, file, reason });
    objects[hashedKey] = manifestEntryFor(file, remote.etag);
  }

  for (const remote of input.remote.values()) {
    if (localKeys.has(remote.key) || input.keep?.(remote.key)) continue;
    deletes.push({ kind: 'delete', key: remote.key, size: remote.size, reason: 'no longer in the folder' });
  }

  const assets = uploads.filter((action) => !isPage(action.key)).sort(byKey);
  const pages = uploads.filter((action) => isPage(action.key)).sort(byKey);
  const manifest: Manifest = input.website === undefined ? { version: 2, objects } : { version: 2, website: input.website, objects };
  const manifestChanged = !input.manifestFound || !sameManifest(manifest, input.manifest);
  return {
    uploads: [...assets, ...pages],
    headerUpdates: headerUpdates.sort(byKey),
    deletes: deletes.sort(byKey),
    unchanged,
    manifest,
    manifestChanged,
  };
}

/** Whether applying the plan would change anything in the bucket. */
export function planChangesBucket(p: Plan): boolean {
  return p.uploads.length + p.headerUpdates.length + p.deletes.length > 0 || p.manifestChanged;
}
