/** The data that flows through a publish: scan → plan → apply. */
import type { ObjectHeaders } from '../headers/object-headers.js';

/** Where a local object's bytes come from. */
export type LocalSource =
  | { kind: 'file'; path: string; gzip: boolean }
  | { kind: 'bytes'; body: Buffer };

/** One object the folder says should exist in the bucket. */
export interface LocalFile {
  /** Full object key, prefix included, NFC, `/`-separated. */
  key: string;
  /** Size of the body as stored (after compression, if any). */
  size: number;
  /** Hex MD5 of the stored body: the ETag of a single PUT. */
  md5: string;
  /** The ETag a multipart upload with our part size produces (`hex-N`); only for multipart-sized bodies. */
  multipartEtag?: string;
  /** The git blob the file's bytes are, when git's index vouches for it (lib/files/git-index.ts; never for gzipped bodies). */
  gitBlob?: string;
  headers: ObjectHeaders;
  source: LocalSource;
}

/** One object found in the bucket listing. */
export interface RemoteObject {
  key: string;
  size: number;
  /** ETag without quotes, lower-case. */
  etag: string;
}

/** What fleuron remembers of each object it published (see manifest.ts). */
export interface ManifestEntry {
  /** The ETag the object had when fleuron published it. */
  etag: string;
  /** Fingerprint of the headers it was published with. */
  headers: string;
  /** Hex MD5 of the body, for multipart objects whose ETag is not an MD5. */
  md5?: string;
  /**
   * The git blob (hex SHA-1) of a file that was published as this body, uncompressed: a fresh clone's scan takes the
   * body's hashes from here for a file git's index says is that blob, instead of reading it (clone-hashes.ts).
   */
  git?: string;
}

export interface Manifest {
  version: 2;
  /** Fingerprint of the website configuration last applied, and how redirects were published. */
  website?: string;
  /** Keyed by `manifestKey(object key)`: the manifest is public and names no object. */
  objects: Record<string, ManifestEntry>;
}

export type UploadReason = 'new' | 'content differs' | 'forced';
export type HeaderUpdateReason = 'header rules changed' | 'headers unknown';
export type DeleteReason = 'no longer in the folder';

export interface UploadAction {
  kind: 'upload';
  key: string;
  file: LocalFile;
  reason: UploadReason;
}

export interface HeaderUpdateAction {
  kind: 'update-headers';
  key: string;
  file: LocalFile;
  reason: HeaderUpdateReason;
}

export interface DeleteAction {
  kind: 'delete';
  key: string;
  size: number;
  reason: DeleteReason;
}

export type Action = UploadAction | HeaderUpdateAction | DeleteAction;

/** The whole plan, in the order it is applied. */
export interface Plan {
  /** Assets first, then HTML pages, so a new page never links to an asset not yet there. */
  uploads: UploadAction[];
  headerUpdates: HeaderUpdateAction[];
  deletes: DeleteAction[];
  unchanged: number;
  /** The manifest as it will be after a complete apply. */
  manifest: Manifest;
  /** Whether the manifest must be written (anything changed, or it was missing or stale). */
  manifestChanged: boolean;
}
