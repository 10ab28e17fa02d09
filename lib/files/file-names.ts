/**
 * Which names found on disk can become part of a site: the one rule the builder and the publisher both apply, so
 * that a file is either built and published, or refused by both with the same line.
 */
import { readdirSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { usageError, type FleuronError } from '../errors/fleuron-error.js';
import { printable } from '../text/terminal.js';

/** Control characters other than tab: S3's XML cannot carry most of them, and a newline breaks every listing. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/**
 * Why the entry `name` of the folder `dir` cannot be published, or undefined when it can. Node reads a name that is
 * not UTF-8 with U+FFFD in place of the bad bytes: only then are the folder's raw names read, to tell such a name
 * from a valid one that holds U+FFFD.
 */
export function nameProblem(name: string, dir: string): string | undefined {
  if (name.includes('\uFFFD') && !isUtf8OnDisk(name, dir)) return 'is not valid UTF-8';
  if (CONTROL.test(name)) return 'contains a control character (a newline, a carriage return…)';
  return undefined;
}

/** The error for a name with a problem; `relativePath` is the path within the site folder. */
export function badNameError(relativePath: string, problem: string): FleuronError {
  return usageError('bad-file-name', `the file name "${printable(relativePath)}" ${problem}`, 'rename the file: names must be UTF-8, without control characters; nothing was changed');
}

function isUtf8OnDisk(name: string, dir: string): boolean {
  try {
    const raw = readdirSync(dir, { encoding: 'buffer' });
    return raw.some((bytes) => bytes.toString('utf8') === name && isUtf8(bytes));
  } catch {
    return false;
  }
}
