/** Fetches one feed politely: a conditional GET with a clear User-Agent, a deadline and a cap on the body's size. */
import { readFileSync } from 'node:fs';

export interface FetchFeedOptions {
  /** Validators of the copy we hold, sent as If-None-Match / If-Modified-Since. */
  etag?: string;
  lastModified?: string;
  timeoutMs: number;
  maxBytes: number;
}

export type FetchedFeed =
  | { kind: 'changed'; body: string; etag?: string; lastModified?: string }
  | { kind: 'not-modified' };

/** Why a feed could not be fetched, in words for a one-line warning. */
export class FeedFetchError extends Error {
  override name = 'FeedFetchError';
}

let userAgent: string | undefined;

/** `fleuron/0.1.0 (+planet)`: tells a blog's owner who is asking, and why. */
export function planetUserAgent(): string {
  if (userAgent === undefined) {
    let version = 'unknown';
    // The package root: four levels up from lib/builder/load/planet/ and dist/builder/load/planet/, two from the bundle in dist/bundle/.
    for (const candidate of ['../../../../package.json', '../../package.json']) {
      try {
        const found = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { name?: string; version?: string };
        if (found.name === 'fleuron' && found.version) {
          version = found.version;
          break;
        }
      } catch {
        // Not there: try the next place; without one the User-Agent only lacks the version.
      }
    }
    userAgent = `fleuron/${version} (+planet)`;
  }
  return userAgent;
}

export async function fetchFeed(url: string, options: FetchFeedOptions): Promise<FetchedFeed> {
  const headers: Record<string, string> = {
    'user-agent': planetUserAgent(),
    accept: 'application/atom+xml, application/rss+xml, application/feed+json, application/json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  const signal = AbortSignal.timeout(options.timeoutMs);
  const seconds = `${Math.round(options.timeoutMs / 100) / 10} s`;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal, redirect: 'follow' });
  } catch (error) {
    throw new FeedFetchError(signal.aborted ? `no answer within ${seconds}` : networkReason(error));
  }
  if (response.status === 304) {
    await response.body?.cancel();
    return { kind: 'not-modified' };
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FeedFetchError(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  const tooLarge = () => new FeedFetchError(`larger than ${Math.round(options.maxBytes / 1024)} KiB (planet.maxFeedKb)`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    // A reader rather than `for await`: the DOM typings some dependencies bring give ReadableStream no async iterator.
    const reader = response.body?.getReader();
    for (let read = await reader?.read(); reader && read && !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      // Stop reading (and drop the connection) as soon as the body passes the cap: a huge feed is never held.
      if (size > options.maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(read.value);
    }
  } catch (error) {
    if (error instanceof FeedFetchError) throw error;
    throw new FeedFetchError(signal.aborted ? `no complete answer within ${seconds}` : networkReason(error));
  }
  const bytes = Buffer.concat(chunks);
  const body = decodeBody(bytes, response.headers.get('content-type'));
  const etag = response.headers.get('etag') ?? undefined;
  const lastModified = response.headers.get('last-modified') ?? undefined;
  return { kind: 'changed', body, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

/** fetch() wraps the real failure (DNS, refused, reset) in `cause`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') return 'host not found';
  if (cause?.code) return `network error ${cause.code}`;
  return (cause?.message ?? (error as Error).message ?? String(error)).replace(/\s+/g, ' ');
}

/** The body as text, in the charset the response or the XML declaration names (UTF-8 when none or unknown). */
export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const label = /charset=["']?([\w-]+)/i.exec(contentType ?? '')?.[1] ?? /^\s*<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(head)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}
