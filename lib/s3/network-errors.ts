/**
 * The error codes Node gives a connection that could not be made or was cut: one list for the error messages
 * (s3-error.ts: "cannot reach the endpoint") and for retrying a body read (read-text-object.ts).
 */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE',
  // A response body that ended before its length: the connection was cut mid-way.
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Whether `error` (or its cause) is a connection that failed or was cut, rather than an answer of the server. */
export function isNetworkError(error: unknown): boolean {
  const { name, code, message, cause } = (error ?? {}) as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  if (NETWORK_ERROR_CODES.has(code ?? '') || NETWORK_ERROR_CODES.has(cause?.code ?? '')) return true;
  // Undici and the SDK's body streams report a cut connection by name or message only.
  return name === 'AbortError' || /aborted|socket hang up/i.test(message ?? '');
}
