/**
 * The plan: a pure function from what the folder holds and what the bucket holds to the list of
 * actions that make the bucket equal the folder, each with its reason. No I/O here.
 */
import { headersFingerprint } from '../headers/object-headers.js';
import { manifestKey, sameManifest } from './manifest.js';
import { isPage } from './page-keys.js';
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

/**
 * The manifest entry for an object published from `file` with the given ETag. The git blob is the file's own when
 * git vouched for it, else the previous entry's when it recorded the same body (a publish from outside the clone
 * keeps what the clone's publishes learnt); only when the ETag is the one the scan computes, which a fresh clone's
 * scan then takes as the file's (clone-hashes.ts).
 */
export function manifestEntryFor(file: LocalFile, etag: string, previous?: ManifestEntry): ManifestEntry {
  const entry: ManifestEntry = { etag, headers: headersFingerprint(file.headers) };
  if (file.multipartEtag !== undefined) entry.md5 = file.md5;
  if (etag !== expectedEtag(file)) return entry;
  const git = file.gitBlob ?? (previous?.git !== undefined && (previous.md5 ?? previous.etag) === file.md5 ? previous.git : undefined);
  if (git !== undefined) entry.git = git;
  return entry;
}

/** Whether the manifest's entry for an unchanged object should record the file's git blob, which it does not yet. */
function learnsBlob(file: LocalFile, entry: ManifestEntry): boolean {
  return file.gitBlob !== undefined && entry.git !== file.gitBlob && entry.etag === expectedEtag(file);
}

const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The new manifest's records, in the order of the folder's files: kept as two arrays and made into a dictionary only
 * when the manifest changes. On a no-op every record is the one read, and neither the dictionary (10,000 insertions)
 * nor the comparison with the manifest read is needed (plan() on 10,000 files: see nextManifest).
 */
interface Records {
  hashedKeys: string[];
  entries: ManifestEntry[];
  /** How many of them are the manifest's own entry, unchanged. */
  reused: number;
  /** How many are for unchanged objects whose entry only gained a git blob. */
  learnt: number;
}

export function plan(input: PlanInput): Plan {
  const uploads: UploadAction[] = [];
  const headerUpdates: HeaderUpdateAction[] = [];
  const records: Records = { hashedKeys: [], entries: [], reused: 0, learnt: 0 };
  let listed = 0;

  for (const file of input.local) {
    const remote = input.remote.get(file.key);
    if (remote !== undefined) listed++;
    const hashedKey = manifestKey(file.key);
    const entry = input.manifest.objects[hashedKey];
    records.hashedKeys.push(hashedKey);
    if (remote === undefined || input.force || !sameContent(file, remote, entry)) {
      const reason = remote === undefined ? 'new' : input.force ? 'forced' : 'content differs';
      uploads.push({ kind: 'upload', key: file.key, file, reason });
      records.entries.push(manifestEntryFor(file, expectedEtag(file), entry));
      continue;
    }
    const fingerprint = headersFingerprint(file.headers);
    if (entry !== undefined && entry.etag === remote.etag && entry.headers === fingerprint) {
      if (learnsBlob(file, entry)) {
        // Only the git blob is new: the manifest records it, the object is left alone.
        records.learnt++;
        records.entries.push(manifestEntryFor(file, remote.etag, entry));
      } else {
        records.reused++;
        records.entries.push(entry);
      }
      continue;
    }
    const reason = entry !== undefined && entry.etag === remote.etag ? 'header rules changed' : 'headers unknown';
    headerUpdates.push({ kind: 'update-headers', key: file.key, file, reason });
    records.entries.push(manifestEntryFor(file, remote.etag, entry));
  }

  const distinct = keysIncrease(input.local);
  // Distinct local keys that found `listed` objects of a listing of that size: every listed key is the folder's.
  const deletes = distinct && listed === input.remote.size ? [] : deletesOf(input);
  const assets = uploads.filter((action) => !isPage(action.key)).sort(byKey);
  const pages = uploads.filter((action) => isPage(action.key)).sort(byKey);
  return {
    uploads: [...assets, ...pages],
    headerUpdates: headerUpdates.sort(byKey),
    deletes: deletes.sort(byKey),
    unchanged: records.reused + records.learnt,
    ...nextManifest(input, records, distinct),
  };
}

/** Whether the files' keys are in strictly increasing order, so distinct (as the scan hands them over). */
function keysIncrease(files: readonly LocalFile[]): boolean {
  for (let index = 1; index < files.length; index++) if (!(files[index - 1]!.key < files[index]!.key)) return false;
  return true;
}

function deletesOf(input: PlanInput): DeleteAction[] {
  const localKeys = new Set<string>();
  for (const file of input.local) localKeys.add(file.key);
  const deletes: DeleteAction[] = [];
  for (const remote of input.remote.values()) {
    if (localKeys.has(remote.key) || input.keep?.(remote.key)) continue;
    deletes.push({ kind: 'delete', key: remote.key, size: remote.size, reason: 'no longer in the folder' });
  }
  return deletes;
}

/**
 * The manifest to write and whether it differs from the one read. When every file (distinct keys) kept the manifest's
 * own entry and the manifest holds no other, the records are the manifest's: it is reused as it is.
 */
function nextManifest(input: PlanInput, records: Records, distinct: boolean): Pick<Plan, 'manifest' | 'manifestChanged'> {
  const { hashedKeys, entries, reused } = records;
  const website = input.website === undefined ? {} : { website: input.website };
  if (input.manifestFound && distinct && reused === entries.length && input.website === input.manifest.website && Object.keys(input.manifest.objects).length === reused) {
    return { manifest: { version: 2, ...website, objects: input.manifest.objects }, manifestChanged: false };
  }
  const objects: Record<string, ManifestEntry> = {};
  for (let index = 0; index < hashedKeys.length; index++) objects[hashedKeys[index]!] = entries[index]!;
  const manifest: Manifest = { version: 2, ...website, objects };
  return { manifest, manifestChanged: !input.manifestFound || !sameManifest(manifest, input.manifest) };
}

/** Whether applying the plan would change anything in the bucket. */
export function planChangesBucket(p: Plan): boolean {
  return p.uploads.length + p.headerUpdates.length + p.deletes.length > 0 || p.manifestChanged;
}
