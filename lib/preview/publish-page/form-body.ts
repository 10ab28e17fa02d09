/** Reads the body of the publish page's form posts: URL-encoded, bounded; any other body is an empty form (so no token). */
import type { IncomingMessage } from 'node:http';

const MAX_FORM_BYTES = 16 * 1024;

/** A header that may come as a list: its first value. */
export function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The body of a form POST (`application/x-www-form-urlencoded`), at most 16 KiB; anything else is an empty form. */
export async function readForm(request: IncomingMessage): Promise<URLSearchParams | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even when too large: leaving the loop early would destroy the socket before the answer.
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_FORM_BYTES) chunks.push(chunk);
  }
  if (size > MAX_FORM_BYTES) return 'too-large';
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded' ? new URLSearchParams(Buffer.concat(chunks).toString('utf8')) : new URLSearchParams();
}
