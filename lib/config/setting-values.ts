/** Parsers of setting values given as text (a flag, an environment variable or fleuron.yaml): key prefix, bandwidth. */
import { usageError } from '../errors/fleuron-error.js';

/**
 * `''` or `a/b/`: one trailing slash, NFC. A leading `/`, an empty, `.` or `..` segment is refused: S3 keys have no
 * folders to resolve them, so `../x` would be a folder named `..` that no URL reaches.
 */
export function normalizePrefix(prefix: string | undefined): string {
  const raw = (prefix ?? '').normalize('NFC');
  const trimmed = raw.replace(/\/+$/, '');
  if (trimmed === '') return '';
  const refuse = (what: string) => usageError('bad-prefix', `the prefix "${raw}" ${what}`, 'give a folder path such as blog or sites/blog (--prefix, FLEURON_PREFIX or publish.prefix)');
  if (trimmed.startsWith('/')) throw refuse('starts with "/"');
  if (trimmed.includes('\\')) throw refuse('holds a backslash');
  const bad = trimmed.split('/').find((segment) => segment === '' || segment === '.' || segment === '..');
  if (bad !== undefined) throw refuse(bad === '' ? 'has an empty segment ("//")' : `has a "${bad}" segment`);
  // S3's XML requests (listing, DeleteObjects) cannot carry control characters.
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw refuse('holds a control character');
  return `${trimmed}/`;
}

/** Parses `500K`, `2M`, `1.5MB/s`, `800kbit` style rates into bytes per second. */
export function parseBandwidth(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(i?b|bit|bps)?(?:\/s)?\s*$/i.exec(text);
  if (!match) return undefined;
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const bits = /^(bit|bps)$/i.test(match[3] ?? '');
  const value = Number(match[1]) * scale / (bits ? 8 : 1);
  return value > 0 ? Math.floor(value) : undefined;
}
