/** Human-readable sizes (lib/text/sizes.ts), durations and names for the terminal. */

export { formatBytes } from '../text/sizes.js';

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Names printed to a terminal: one function for every line (lib/text/terminal.ts). */
export { printable } from '../text/terminal.js';
