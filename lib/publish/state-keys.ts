/** Where fleuron keeps its own state in the site's bucket: `<prefix>.fleuron/`, never planned as site content. */

export const STATE_FOLDER = '.fleuron/';
export const MANIFEST_NAME = 'manifest.json';
export const LOCK_NAME = 'lock.json';

export function stateKey(prefix: string, name: string): string {
  return `${prefix}${STATE_FOLDER}${name}`;
}

/** Whether a site-relative path (no prefix) falls in fleuron's state folder: never published from the folder. */
export function isStatePath(relative: string): boolean {
  return relative === STATE_FOLDER.slice(0, -1) || relative.startsWith(STATE_FOLDER);
}
