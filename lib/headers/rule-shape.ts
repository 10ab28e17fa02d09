/** What a header rule of fleuron.yaml may hold: read by the settings, applied by header-rules.ts. */

export interface HeaderRule {
  /** A glob over the key without prefix (`**\/*.html`), or a list of globs. */
  match: string | string[];
  cacheControl?: string;
  contentType?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  /** Pre-compress with gzip (only when compression is on). */
  gzip?: boolean;
}

export const HEADER_RULE_KEYS = ['match', 'cacheControl', 'contentType', 'contentDisposition', 'contentLanguage', 'gzip'] as const;
