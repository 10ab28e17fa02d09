/**
 * Pure: which keys a rollback restores and which it deletes. The state before deploy D is, for each
 * key, its archived version in the earliest deploy at or after D that touched it (or absence, when
 * that deploy created it). Keys no deploy since D touched are as they were before D.
 */
import type { DeployRecord } from './deploy-record.js';
import { archivedKey } from './deploy-record.js';

export interface RestoreStep {
  key: string;
  /** Copy this archived object back; undefined means delete the key. */
  from?: string;
}

export function planRollback(records: readonly DeployRecord[], targetId: string): RestoreStep[] {
  const since = records.filter((record) => record.id >= targetId).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const steps = new Map<string, RestoreStep>();
  for (const record of since) {
    for (const change of record.changes) {
      if (steps.has(change.key)) continue; // an earlier deploy already decided this key
      steps.set(change.key, change.archived ? { key: change.key, from: archivedKey(record.id, change.key) } : { key: change.key });
    }
  }
  return [...steps.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
