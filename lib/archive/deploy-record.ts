/**
 * The record of one deploy in the archive bucket: what it changed, and whether each key existed
 * before (then its old version is archived under `<deploy-id>/<key>`).
 */
import { randomBytes } from 'node:crypto';

export interface DeployChange {
  key: string;
  action: 'upload' | 'update-headers' | 'delete' | 'restore';
  /** The key existed before this deploy: its old version is at `<id>/<key>` in the archive. */
  archived: boolean;
}

export interface DeployRecord {
  version: 1;
  id: string;
  time: string;
  bucket: string;
  prefix: string;
  kind: 'publish' | 'rollback';
  /** For a rollback: the deploy it undid. */
  rollbackOf?: string;
  /** Set when the deploy stopped before it was complete (its record is written before any change). */
  failed?: { message: string };
  changes: DeployChange[];
}

/**
 * `20261125T144512345Z-ab12`: sorts by time, unique enough for one site. The milliseconds matter: a publish and its
 * rollback can land in the same second, and history and rollback order deploys by id (ids without them, written by
 * earlier versions, still sort right against any later second).
 */
export function makeDeployId(now: Date = new Date(), random: string = randomBytes(2).toString('hex')): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${random}`;
}

export const DEPLOY_ID_PATTERN = /^\d{8}T\d{6}(?:\d{3})?Z-[0-9a-f]{4}$/;

/**
 * Everything fleuron writes to the archive bucket is under this folder, so that its expiry rule can be scoped to it
 * (a lifecycle rule filtered by prefix) and never touches anything else.
 */
export const ARCHIVE_FOLDER = 'fleuron/';

/** Records sit beside the archived objects' folders, never inside one (a site may have any key). */
export function recordKey(id: string): string {
  return `${ARCHIVE_FOLDER}${id}.deploy.json`;
}

export function archivedKey(id: string, key: string): string {
  return `${ARCHIVE_FOLDER}${id}/${key}`;
}

export function parseDeployRecord(text: string): DeployRecord | undefined {
  try {
    const record = JSON.parse(text) as DeployRecord;
    if (record.version !== 1 || !DEPLOY_ID_PATTERN.test(record.id) || !Array.isArray(record.changes)) return undefined;
    return record;
  } catch {
    return undefined;
  }
}
