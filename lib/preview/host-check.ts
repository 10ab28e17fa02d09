/**
 * Which `Host` headers are the preview's own address. A DNS-rebinding page (evil.example, later
 * resolving to 127.0.0.1) reaches the preview with its own name as Host: such requests are refused.
 */

/** Names that are always this machine's loopback; `configured` adds the host the server was told to listen on. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Whether `host` (the request's Host header) names this server: a loopback name with its port (bare when 80). */
export function isOwnHost(host: string | undefined, port: number, configured?: string): boolean {
  if (host === undefined) return false;
  const names = configured && !LOOPBACK_NAMES.includes(configured) && !isWildcard(configured) ? [...LOOPBACK_NAMES, bracketed(configured)] : LOOPBACK_NAMES;
  const wanted = host.toLowerCase();
  return names.some((name) => wanted === `${name}:${port}` || (port === 80 && wanted === name));
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

function bracketed(host: string): string {
  const lower = host.toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}
