/** Rejects unknown keys in a config object, suggesting the closest known one. */
import { usageError } from '../errors/fleuron-error.js';
import { closestMatch } from './closest-match.js';

/**
 * Throws a usage error (exit 2) naming the first unknown key of `value`, where it is (`where`, e.g.
 * `fleuron.yaml: publish`) and the closest known key.
 */
export function checkKeys(value: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const suggestion = closestMatch(key, known);
    throw usageError(
      'config-unknown-key',
      `${where}: unknown key "${key}"`,
      suggestion ? `did you mean "${suggestion}"?` : `known keys: ${known.join(', ')}`,
    );
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
