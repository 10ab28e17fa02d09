/** Maps fleuron's header record to the S3 request parameters that store it. */
import type { ObjectHeaders } from '../headers/object-headers.js';
import { putHeaderFields } from '../s3/s3-requests.js';

export interface StoredHeaderParams {
  ContentType: string;
  CacheControl?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  WebsiteRedirectLocation?: string;
  Metadata?: Record<string, string>;
}

export function storedHeaderParams(headers: ObjectHeaders): StoredHeaderParams {
  const params: StoredHeaderParams = { ContentType: headers.contentType };
  if (headers.cacheControl) params.CacheControl = headers.cacheControl;
  if (headers.contentEncoding) params.ContentEncoding = headers.contentEncoding;
  if (headers.contentDisposition) params.ContentDisposition = headers.contentDisposition;
  if (headers.contentLanguage) params.ContentLanguage = headers.contentLanguage;
  if (headers.websiteRedirectLocation) params.WebsiteRedirectLocation = headers.websiteRedirectLocation;
  if (headers.metadata && Object.keys(headers.metadata).length > 0) params.Metadata = headers.metadata;
  return params;
}

/** The same headers as HTTP header fields, as the SDK writes them for PutObject (a signed PUT sends them). */
export function storedHeaderFields(headers: ObjectHeaders): Record<string, string> {
  return putHeaderFields(storedHeaderParams(headers));
}
