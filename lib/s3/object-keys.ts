/** Facts about S3 object keys and ETags that every caller must agree on. */

/** S3's key order: UTF-8 bytes, which is Unicode code point order. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** ETags come quoted and sometimes upper-case; compare them bare and lower-case. */
export function normalizeEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/"/g, '').toLowerCase();
}

/** `bucket/key` for CopySource, each key segment percent-encoded. */
export function copySourceOf(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Whether a key can travel in an XML request body (DeleteObjects). XML 1.0 cannot carry most control characters at
 * all, and a carriage return or tab would be normalised away by the server's parser: such keys go one by one, in the
 * URL. Lone surrogates cannot be encoded in UTF-8 either.
 */
export function keyFitsXml(key: string): boolean {
  return !/[\u0000-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(key);
}
