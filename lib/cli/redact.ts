/** Keeps secret values out of everything fleuron prints. */

const secrets = new Set<string>();

/** Registers a value (e.g. the secret access key) that must never be printed. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

/** `text` with every registered secret replaced by `***`, and any `user:password@` of a URL removed. */
export function redact(text: string): string {
  let result = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"]+@/gi, '$1');
  for (const secret of secrets) result = result.split(secret).join('***');
  return result;
}
