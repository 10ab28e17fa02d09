/** Parsers of setting values given as text (a flag, an environment variable or fleuron.yaml): key prefix, bandwidth. */

/** `''` or `a/b/`: no leading slash, one trailing slash, NFC. */
export function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').normalize('NFC').replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
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
